/**
 * The bad-input table of docs/reliability.md: each row is one kind of input the Store refuses,
 * with the error code the user sees, and a check that nothing stored changed (every blob of the
 * backing holds the same bytes before and after). Full and read-only disks are in
 * packages/fs/test/reliability.test.ts.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { lastValueFrom, type Observable } from 'rxjs';
import { createStore, KonserveError, type Key, type Store, type StoreOptions } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';

class Point {
  constructor(readonly x: number) {}
}
const cyclic = (): unknown => {
  const o: Record<string, unknown> = { a: 1 };
  o['self'] = o;
  return o;
};

let blobs: Map<string, Uint8Array>;
let store: Store;

/** A store holding a value, an append log and a binary. */
async function setup(options: StoreOptions = {}): Promise<void> {
  blobs = new Map();
  store = createStore(referenceBacking({ map: blobs }), options);
  await lastValueFrom(store.assoc('doc', { a: { b: 1 }, list: [1, 2], n: 5 }));
  await lastValueFrom(store.append('log', 'first'));
  await lastValueFrom(store.bassoc('bin', new Uint8Array([1, 2, 3])));
}

/** Runs `op`, expects it to fail with `code`, and expects every stored blob to be byte-for-byte unchanged. */
async function refused(op: (s: Store) => Observable<unknown>, code: string): Promise<KonserveError> {
  const before = new Map([...blobs].map(([id, b]) => [id, Buffer.from(b).toString('hex')]));
  let obs: Observable<unknown> | undefined;
  expect(() => {
    obs = op(store);
  }).not.toThrow();
  const err = await lastValueFrom(obs!).then(
    (v) => {
      throw new Error(`expected ${code}, got the value ${String(v)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KonserveError);
  expect((err as KonserveError).code).toBe(code);
  expect(new Map([...blobs].map(([id, b]) => [id, Buffer.from(b).toString('hex')]))).toEqual(before);
  return err as KonserveError;
}

describe('bad input: refused with a stable code, nothing stored changes', () => {
  beforeEach(() => setup());

  describe('values the serializer cannot encode: ERR_NOT_SERIALIZABLE', () => {
    const unencodable: [string, () => unknown][] = [
      ['a function', () => () => 1],
      ['a symbol', () => Symbol('s')],
      ['a nested function', () => ({ ok: 1, f: () => 1 })],
      ['a nested symbol', () => [1, Symbol('s')]],
      ['a cyclic object', cyclic],
    ];
    it.each(unencodable)('%s, written by assoc, assocIn, update, append and multiAssoc', async (_label, make) => {
      await refused((s) => s.assoc('doc', make()), 'ERR_NOT_SERIALIZABLE');
      await refused((s) => s.assocIn(['doc', 'a', 'c'], make()), 'ERR_NOT_SERIALIZABLE');
      await refused((s) => s.update('doc', () => make()), 'ERR_NOT_SERIALIZABLE');
      await refused((s) => s.append('log', make()), 'ERR_NOT_SERIALIZABLE');
      await refused(
        (s) =>
          s.multiAssoc([
            ['fresh', 1],
            ['doc', make()],
          ]),
        'ERR_NOT_SERIALIZABLE',
      );
    });
    it('user metadata that cannot be encoded', async () => {
      await refused((s) => s.assoc('doc', 1, { meta: { f: () => 1 } }), 'ERR_NOT_SERIALIZABLE');
    });
  });

  describe('invalid keys: ERR_INVALID_KEY', () => {
    const invalid: [string, unknown][] = [
      ['undefined', undefined],
      ['null', null],
      ['a boolean', true],
      ['a function', () => 'k'],
      ['a symbol', Symbol('k')],
      ['NaN', NaN],
      ['Infinity', -Infinity],
      ['a Date', new Date(0)],
      ['a class instance', new Point(1)],
      ['an array holding NaN', ['ok', NaN]],
      ['an object holding a function', { a: () => 1 }],
      ['a key nested 40 levels deep', Array.from({ length: 40 }).reduce<unknown>((k) => [k], 'k')],
    ];
    it.each(invalid)('%s, for reads and writes alike', async (_label, key) => {
      for (const op of [
        (s: Store) => s.get(key as Key),
        (s: Store) => s.assoc(key as Key, 1),
        (s: Store) => s.dissoc(key as Key),
        (s: Store) =>
          s.multiAssoc([
            ['fresh', 1],
            [key as Key, 2],
          ]),
      ]) {
        await refused(op, 'ERR_INVALID_KEY');
      }
    });
    it('a key whose canonical form is longer than 16 KiB (one at the limit is fine)', async () => {
      await refused((s) => s.assoc('k'.repeat(16 * 1024), 1), 'ERR_INVALID_KEY');
      await refused((s) => s.assoc({ id: 'k'.repeat(16 * 1024) }, 1), 'ERR_INVALID_KEY');
      const atLimit = 'k'.repeat(16 * 1024 - 2); // the canonical form adds the two quotes
      await lastValueFrom(store.assoc(atLimit, 'fits'));
      expect(await lastValueFrom(store.get(atLimit))).toBe('fits');
    });
  });

  describe('paths and arguments of the wrong shape: ERR_INVALID_ARGUMENT', () => {
    it('a path through a value that is not a collection (getIn answers notFound instead)', async () => {
      await refused((s) => s.assocIn(['doc', 'n', 'deeper'], 1), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.updateIn(['doc', 'a', 'b', 'c'], () => 1), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.assocIn(['doc', 'list', 'not-an-index'], 1), 'ERR_INVALID_ARGUMENT');
      expect(await lastValueFrom(store.getIn(['doc', 'n', 'deeper'], 'none'))).toBe('none');
    });
    it('malformed paths: empty, or with steps that are neither strings nor numbers', async () => {
      await refused((s) => s.assocIn([] as never, 1 as never), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.assocIn(['doc', { x: 1 } as never], 1), 'ERR_INVALID_ARGUMENT');
    });
    it('the wrong kind of key: append to a value, update of a log, bget of a value, log of a binary', async () => {
      await refused((s) => s.append('doc', 1), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.update('log', () => 1), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.bget('doc', (b) => b.bytes()), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.log('bin'), 'ERR_INVALID_ARGUMENT');
    });
    it('bassoc of data that is not bytes, text or a stream; multiAssoc of entries that are not pairs', async () => {
      await refused((s) => s.bassoc('bin', 42 as never), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.multiAssoc([['a', 1, 'extra']] as never), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.multiAssoc(7 as never), 'ERR_INVALID_ARGUMENT');
    });
  });

  describe('a value larger than maxValueBytes: ERR_INVALID_ARGUMENT', () => {
    beforeEach(() => setup({ maxValueBytes: 1024 }));
    it('is refused by assoc, assocIn, update, append and multiAssoc; a value at the limit is stored', async () => {
      const big = 'x'.repeat(2000);
      const err = await refused((s) => s.assoc('doc', big), 'ERR_INVALID_ARGUMENT');
      expect(err.key).toBe('doc');
      await refused((s) => s.assocIn(['doc', 'a', 'c'], big), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.update('doc', () => big), 'ERR_INVALID_ARGUMENT');
      await refused((s) => s.append('log', big), 'ERR_INVALID_ARGUMENT');
      await refused(
        (s) =>
          s.multiAssoc([
            ['fresh', 1],
            ['doc', big],
          ]),
        'ERR_INVALID_ARGUMENT',
      );
      // CBOR spends 3 bytes on the header of a string this long
      await lastValueFrom(store.assoc('doc', 'y'.repeat(1021)));
      expect(await lastValueFrom(store.get('doc'))).toBe('y'.repeat(1021));
      await refused((s) => s.assoc('doc', 'y'.repeat(1022)), 'ERR_INVALID_ARGUMENT');
    });
    it('does not limit binaries, which stream', async () => {
      await lastValueFrom(store.bassoc('bin', new Uint8Array(4096)));
      expect(await lastValueFrom(store.bget('bin', (b) => Promise.resolve(b.size)))).toBe(4096);
    });
    it('must be a non-negative number', () => {
      expect(() => createStore(referenceBacking(), { maxValueBytes: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    });
  });

  it('an update function that throws fails with that very error, and the value stays', async () => {
    const mine = new Error('mine');
    const err = await lastValueFrom(
      store.update('doc', () => {
        throw mine;
      }),
    ).catch((e: unknown) => e);
    expect(err).toBe(mine);
    expect(await lastValueFrom(store.get('doc'))).toEqual({ a: { b: 1 }, list: [1, 2], n: 5 });
  });
});

describe('values the default (CBOR) serializer cannot keep: refused, never stored changed', () => {
  beforeEach(() => setup());
  /** A write either stores the value exactly or is refused with ERR_NOT_SERIALIZABLE: never a silently different value. */
  async function exactOrRefused(value: unknown): Promise<void> {
    const stored = await lastValueFrom(store.assoc('v', value)).then(
      () => true,
      (e: KonserveError) => e.code,
    );
    if (stored !== true) return expect(stored).toBe('ERR_NOT_SERIALIZABLE');
    expect(await lastValueFrom(store.get('v'))).toEqual(value);
  }
  it('a string with a lone surrogate (which UTF-8 cannot carry) is refused with ERR_NOT_SERIALIZABLE, not stored as U+FFFD', async () => {
    await exactOrRefused('a\ud800b');
  });
  it('an own "__proto__" field (as JSON.parse makes) is refused with ERR_NOT_SERIALIZABLE, not stored renamed "__proto_"', async () => {
    await exactOrRefused(JSON.parse('{"__proto__": {"x": 1}}'));
  });
  it('-0 reads back as 0 (as with JSON); documented, not a bug', async () => {
    await lastValueFrom(store.assoc('v', -0));
    expect(Object.is(await lastValueFrom(store.get('v')), 0)).toBe(true);
  });
});
