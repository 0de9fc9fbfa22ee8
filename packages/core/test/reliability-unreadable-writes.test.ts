/**
 * Writes that could not read back are refused, never acknowledged: a `__proto__` path step or
 * field, a lone surrogate, a Promise or Observable as a value or as an update function's result,
 * an update "function" that is not one. Each refusal is a KonserveError with a stable code, and
 * nothing stored changes.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { createStore, jsonSerializer, KonserveError, type Store, type StoreOptions } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';

let blobs: Map<string, Uint8Array>;
let store: Store;

async function setup(options: StoreOptions = {}): Promise<void> {
  blobs = new Map();
  store = createStore(referenceBacking({ map: blobs }), options);
  await lastValueFrom(store.assoc('p', { a: 1 }));
}

const snapshot = (): Map<string, string> => new Map([...blobs].map(([id, b]) => [id, Buffer.from(b).toString('hex')]));

/** Expects `obs` to fail with a KonserveError of `code` and every stored blob to stay byte-for-byte the same. */
async function refused(obs: () => Observable<unknown>, code: string): Promise<KonserveError> {
  const before = snapshot();
  const err = await lastValueFrom(obs()).then(
    (v) => {
      throw new Error(`expected ${code}, got ${JSON.stringify(v)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KonserveError);
  expect((err as KonserveError).code).toBe(code);
  expect(snapshot()).toEqual(before);
  return err as KonserveError;
}

describe('a "__proto__" path step or field', () => {
  describe('with the CBOR serializer (which cannot keep such a field): ERR_NOT_SERIALIZABLE', () => {
    beforeEach(() => setup());
    it('assocIn and updateIn through "__proto__" are refused; the value stays', async () => {
      await refused(() => store.assocIn(['p', '__proto__', 'x'], 1), 'ERR_NOT_SERIALIZABLE');
      await refused(() => store.updateIn(['p', '__proto__', 'x'], () => 1), 'ERR_NOT_SERIALIZABLE');
      await refused(() => store.assocIn(['p', '__proto__'], { x: 1 }), 'ERR_NOT_SERIALIZABLE');
      expect(await lastValueFrom(store.get('p'))).toEqual({ a: 1 });
    });
    it('assoc of a value with an own "__proto__" field (as JSON.parse makes) is refused', async () => {
      await refused(() => store.assoc('p', JSON.parse('{"ok": 1, "deep": {"__proto__": {"x": 1}}}')), 'ERR_NOT_SERIALIZABLE');
    });
    it('the string "__proto__" as a value or in a key is stored as usual', async () => {
      await lastValueFrom(store.assoc('v', ['__proto__', { s: '__proto__' }]));
      expect(await lastValueFrom(store.get('v'))).toEqual(['__proto__', { s: '__proto__' }]);
      await lastValueFrom(store.assoc({ id: '__proto__' }, 1));
      expect(await lastValueFrom(store.get({ id: '__proto__' }))).toBe(1);
    });
  });

  describe('with the JSON serializer: stored as an own field and read back', () => {
    beforeEach(() => setup({ serializer: jsonSerializer() }));
    it('assocIn stores an own "__proto__" field; getIn and get read it back; the emitted value has no foreign prototype', async () => {
      const change = await lastValueFrom(store.assocIn(['p', '__proto__', 'x'], 1));
      const emitted = change.new as Record<string, unknown>;
      expect(Object.getPrototypeOf(emitted)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(emitted, '__proto__')).toBe(true);
      expect(await lastValueFrom(store.getIn(['p', '__proto__', 'x']))).toBe(1);
      const back = (await lastValueFrom(store.get('p'))) as Record<string, unknown>;
      expect(Object.keys(back)).toEqual(['a', '__proto__']);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    });
    it('updateIn through "__proto__" sees and replaces the own field', async () => {
      await lastValueFrom(store.assocIn(['p', '__proto__', 'x'], 1));
      const change = await lastValueFrom(store.updateIn(['p', '__proto__', 'x'], (n) => (n as number) + 1));
      expect(change).toEqual({ old: 1, new: 2 });
      expect(await lastValueFrom(store.getIn(['p', '__proto__', 'x']))).toBe(2);
    });
  });
});

describe('a string with a lone surrogate (UTF-8 cannot carry it)', () => {
  beforeEach(() => setup());
  it('is refused by the CBOR serializer with ERR_NOT_SERIALIZABLE, as value, field name or Map key', async () => {
    await refused(() => store.assoc('p', 'a\ud800b'), 'ERR_NOT_SERIALIZABLE');
    await refused(() => store.assoc('p', { ['k\udc00']: 1 }), 'ERR_NOT_SERIALIZABLE');
    await refused(() => store.assoc('p', new Map([['\ud83d', 1]])), 'ERR_NOT_SERIALIZABLE');
  });
  it('a real U+FFFD and a surrogate pair are stored as usual', async () => {
    await lastValueFrom(store.assoc('p', ['\ufffd', '\ud83d\ude00']));
    expect(await lastValueFrom(store.get('p'))).toEqual(['\ufffd', '\ud83d\ude00']);
  });
  it('round-trips exactly with the JSON serializer', async () => {
    await setup({ serializer: jsonSerializer() });
    await lastValueFrom(store.assoc('p', 'a\ud800b'));
    expect(await lastValueFrom(store.get('p'))).toBe('a\ud800b');
  });
});

describe('Promises, Observables and thenables are not values', () => {
  beforeEach(() => setup());
  const pending = (): Promise<number> => Promise.resolve(1);
  it('assoc, assocIn, append and multiAssoc of a Promise, an Observable or a thenable fail with ERR_NOT_SERIALIZABLE', async () => {
    for (const make of [pending, () => of(1), () => ({ then: (r: (v: number) => void) => r(1) })]) {
      await refused(() => store.assoc('p', make()), 'ERR_NOT_SERIALIZABLE');
      await refused(() => store.assoc('fresh', make()), 'ERR_NOT_SERIALIZABLE');
      await refused(() => store.assocIn(['p', 'b'], make()), 'ERR_NOT_SERIALIZABLE');
      await refused(() => store.append('log', make()), 'ERR_NOT_SERIALIZABLE');
      await refused(
        () =>
          store.multiAssoc([
            ['fresh', 1],
            ['p', make()],
          ]),
        'ERR_NOT_SERIALIZABLE',
      );
    }
  });
  it('an async update function fails with ERR_INVALID_ARGUMENT (update functions are synchronous); nothing is stored', async () => {
    await refused(() => store.update('cnt', async (n) => ((n as number | undefined) ?? 0) + 1), 'ERR_INVALID_ARGUMENT');
    await refused(() => store.update('p', async () => 1), 'ERR_INVALID_ARGUMENT');
    await refused(() => store.update('p', () => of(1)), 'ERR_INVALID_ARGUMENT');
    await refused(() => store.updateIn(['p', 'a'], async () => 2), 'ERR_INVALID_ARGUMENT');
    expect(await lastValueFrom(store.exists('cnt'))).toBe(false);
    expect(await lastValueFrom(store.get('p'))).toEqual({ a: 1 });
  });
  it('update, updateIn, bget and reduceLog with something that is not a function fail with ERR_INVALID_ARGUMENT', async () => {
    await refused(() => store.update('p', 5 as never), 'ERR_INVALID_ARGUMENT');
    await refused(() => store.updateIn(['p', 'a'], 'inc' as never), 'ERR_INVALID_ARGUMENT');
    await lastValueFrom(store.bassoc('bin', new Uint8Array([1])));
    await refused(() => store.bget('bin', null as never), 'ERR_INVALID_ARGUMENT');
    await lastValueFrom(store.append('log', 1));
    await refused(() => store.reduceLog('log', undefined as never, 0), 'ERR_INVALID_ARGUMENT');
  });
});
