/**
 * Bad input: invalid keys fail with `ERR_INVALID_KEY` and values the serializer cannot encode
 * fail with `ERR_NOT_SERIALIZABLE`, always as error notifications (never synchronous throws),
 * and nothing is written.
 */
import type { Observable } from 'rxjs';
import type { Key, Store } from '../store-api';
import type { ComplianceContext } from './context';
import { eachIt } from './harness';
import { errorOf, listIds, run } from './util';

class Point {
  constructor(readonly x: number) {}
}

/** Keys that are not strings, finite numbers, or arrays / plain objects of those. */
const INVALID_KEYS: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a boolean', true],
  ['a function', () => 'k'],
  ['a symbol', Symbol('k')],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['a Date', new Date(0)],
  ['a class instance', new Point(1)],
  ['an array with an invalid element', ['ok', null]],
  ['an object with an invalid field', { a: 'ok', b: false }],
  ['a deeply nested invalid element', [{ a: [1, NaN] }]],
  ['a key longer than 16 KiB', 'k'.repeat(17 * 1024)],
];

/** Every key-taking operation, to check each rejects an invalid key. */
const KEYED_OPS: [string, (s: Store, k: Key) => Observable<unknown>][] = [
  ['exists', (s, k) => s.exists(k)],
  ['get', (s, k) => s.get(k)],
  ['getIn', (s, k) => s.getIn([k, 'a'])],
  ['getMeta', (s, k) => s.getMeta(k)],
  ['assoc', (s, k) => s.assoc(k, 1)],
  ['assocIn', (s, k) => s.assocIn([k, 'a'], 1)],
  ['update', (s, k) => s.update(k, () => 1)],
  ['updateIn', (s, k) => s.updateIn([k, 'a'], () => 1)],
  ['dissoc', (s, k) => s.dissoc(k)],
  ['bassoc', (s, k) => s.bassoc(k, new Uint8Array([1]))],
  ['bget', (s, k) => s.bget(k, (b) => b.bytes())],
  ['multiGet', (s, k) => s.multiGet(['fine', k])],
  ['multiAssoc', (s, k) => s.multiAssoc([[k, 1]])],
  ['multiDissoc', (s, k) => s.multiDissoc([k])],
  ['append', (s, k) => s.append(k, 1)],
  ['log', (s, k) => s.log(k)],
  ['reduceLog', (s, k) => s.reduceLog(k, (a: number) => a, 0)],
  ['watch', (s, k) => s.watch(k)],
];

const cyclic = (): unknown => {
  const o: Record<string, unknown> = { a: 1 };
  o['self'] = o;
  return o;
};

/** Values the default serializer cannot encode. */
const UNSERIALIZABLE: [string, () => unknown][] = [
  ['a function', () => () => 1],
  ['a nested function', () => ({ ok: 1, f: () => 1 })],
  ['a symbol', () => Symbol('v')],
  ['a nested symbol', () => [1, Symbol('v')]],
  ['a cycle', cyclic],
];

/**
 * Registers the bad-input tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function badInputTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('invalid keys', () => {
    eachIt(it, INVALID_KEYS, 'get of %s errors with ERR_INVALID_KEY, never a synchronous throw', async (_label, key) => {
      let obs: Observable<unknown> | undefined;
      expect(() => {
        obs = ctx.store.get(key as Key);
      }).not.toThrow();
      expect((await errorOf(obs!)).code).toBe('ERR_INVALID_KEY');
    });

    eachIt(it, INVALID_KEYS, 'assoc of %s errors with ERR_INVALID_KEY and writes nothing', async (_label, key) => {
      const { store } = ctx;
      expect((await errorOf(store.assoc(key as Key, 'v'))).code).toBe('ERR_INVALID_KEY');
      expect(await listIds(store.backing)).toEqual([]);
    });

    eachIt(it, KEYED_OPS, '%s of an undefined key errors with ERR_INVALID_KEY', async (_op, op) => {
      let obs: Observable<unknown> | undefined;
      expect(() => {
        obs = op(ctx.store, undefined as never);
      }).not.toThrow();
      expect((await errorOf(obs!)).code).toBe('ERR_INVALID_KEY');
    });

    it('multiAssoc with one invalid key among valid ones errors with ERR_INVALID_KEY', async () => {
      const { store } = ctx;
      expect(
        (
          await errorOf(
            store.multiAssoc([
              ['a', 1],
              [NaN, 2],
            ]),
          )
        ).code,
      ).toBe('ERR_INVALID_KEY');
    });
  });

  describe('values that cannot be serialized', () => {
    eachIt(it, UNSERIALIZABLE, 'assoc of %s errors with ERR_NOT_SERIALIZABLE and the key stays missing', async (_label, make) => {
      const { store } = ctx;
      const err = await errorOf(store.assoc('k', make()));
      expect(err.code).toBe('ERR_NOT_SERIALIZABLE');
      expect(err.key).toBe('k');
      expect(await run(store.exists('k'))).toBe(false);
      expect(await listIds(store.backing)).toEqual([]);
    });

    eachIt(it, UNSERIALIZABLE, 'assoc of %s over a stored value keeps the old value', async (_label, make) => {
      const { store } = ctx;
      await run(store.assoc({ id: 1 }, 'old'));
      const err = await errorOf(store.assoc({ id: 1 }, make()));
      expect(err.code).toBe('ERR_NOT_SERIALIZABLE');
      expect(err.key).toEqual({ id: 1 });
      expect(await run(store.get({ id: 1 }))).toBe('old');
    });

    it('assocIn of a function errors with ERR_NOT_SERIALIZABLE and keeps the old value', async () => {
      const { store } = ctx;
      await run(store.assoc('k', { a: 1 }));
      expect((await errorOf(store.assocIn(['k', 'b'], () => 1))).code).toBe('ERR_NOT_SERIALIZABLE');
      expect(await run(store.get('k'))).toEqual({ a: 1 });
    });

    it('append of a function errors with ERR_NOT_SERIALIZABLE and the log is unchanged', async () => {
      const { store } = ctx;
      await run(store.append('log', 1));
      expect((await errorOf(store.append('log', () => 1))).code).toBe('ERR_NOT_SERIALIZABLE');
      expect(await run(store.reduceLog('log', (acc: unknown[], x: unknown) => [...acc, x], [] as unknown[]))).toEqual([1]);
    });

    it('user metadata that cannot be serialized errors with ERR_NOT_SERIALIZABLE and writes nothing', async () => {
      const { store } = ctx;
      expect((await errorOf(store.assoc('k', 1, { meta: { f: () => 1 } }))).code).toBe('ERR_NOT_SERIALIZABLE');
      expect(await run(store.exists('k'))).toBe(false);
    });
  });
}
