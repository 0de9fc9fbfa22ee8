/**
 * Append logs: `append` emits `{ old, new }` of the log head, `log` streams the elements in
 * order, `reduceLog` folds them; a log is one key for `keys()`, and `dissoc` removes its element
 * blobs too. Includes konserve's own scenario (append 0..9, sum 45).
 */
import type { ComplianceContext } from './context';
import { collect, errorOf, listIds, run } from './util';

/**
 * Registers the append-log tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function logTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('append logs', () => {
    it('the first append emits old undefined and a head with count 1', async () => {
      const change = await run(ctx.store.append('log', 'a'));
      expect(change.old).toBeUndefined();
      expect(change.new).toMatchObject({ count: 1 });
      expect(typeof change.new.gen).toBe('string');
    });

    it('later appends emit the previous head as old and a head with count + 1', async () => {
      const { store } = ctx;
      const first = await run(store.append('log', 'a'));
      const second = await run(store.append('log', 'b'));
      expect(second.old).toEqual(first.new);
      expect(second.new).toEqual({ count: 2, gen: first.new.gen });
    });

    it('konserve scenario: append 0..9, log emits 0..9 in order, reduceLog sums to 45', async () => {
      const { store } = ctx;
      for (let i = 0; i < 10; i++) await run(store.append('numbers', i));
      expect(await collect(store.log('numbers'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await run(store.reduceLog('numbers', (acc: number, x: number) => acc + x, 0))).toBe(45);
    });

    it('log keeps structured elements, including falsy ones', async () => {
      const { store } = ctx;
      const elems = [{ a: 1 }, null, 0, '', false, [1, [2]], new Date(Date.UTC(2020, 0, 1))];
      for (const e of elems) await run(store.append('mixed', e));
      expect(await collect(store.log('mixed'))).toEqual(elems);
    });

    it('log of a missing key completes without emitting', async () => {
      expect(await collect(ctx.store.log('missing'))).toEqual([]);
    });

    it('reduceLog of a missing key emits the seed', async () => {
      expect(await run(ctx.store.reduceLog('missing', (acc: number) => acc + 1, 42))).toBe(42);
    });

    it('getMeta of a log key has type "append-log"', async () => {
      const { store } = ctx;
      await run(store.append('log', 1));
      expect(await run(store.getMeta('log'))).toMatchObject({ key: 'log', type: 'append-log' });
      expect(await run(store.exists('log'))).toBe(true);
    });

    it('append to a key holding a plain value errors with ERR_INVALID_ARGUMENT and keeps the value', async () => {
      const { store } = ctx;
      await run(store.assoc('plain', { a: 1 }));
      expect((await errorOf(store.append('plain', 1))).code).toBe('ERR_INVALID_ARGUMENT');
      expect(await run(store.get('plain'))).toEqual({ a: 1 });
    });

    it('log of a key holding a plain value errors with ERR_INVALID_ARGUMENT', async () => {
      const { store } = ctx;
      await run(store.assoc('plain', 5));
      expect((await errorOf(store.log('plain'))).code).toBe('ERR_INVALID_ARGUMENT');
    });

    it('keys() lists a log key once and never its elements', async () => {
      const { store } = ctx;
      for (let i = 0; i < 5; i++) await run(store.append('log', i));
      await run(store.assoc('other', 1));
      const metas = await collect(store.keys());
      expect(metas.map((m) => m.key).sort()).toEqual(['log', 'other']);
      expect(metas.find((m) => m.key === 'log')?.type).toBe('append-log');
    });

    it('dissoc of a log emits true and removes its element blobs too', async () => {
      const { store } = ctx;
      for (let i = 0; i < 5; i++) await run(store.append('log', { i }));
      expect(await run(store.dissoc('log'))).toBe(true);
      expect(await collect(store.log('log'))).toEqual([]);
      expect(await run(store.exists('log'))).toBe(false);
      expect(await listIds(store.backing)).toEqual([]);
    });

    it('a log appended again after dissoc starts over', async () => {
      const { store } = ctx;
      await run(store.append('log', 'old'));
      await run(store.dissoc('log'));
      const change = await run(store.append('log', 'new'));
      expect(change.old).toBeUndefined();
      expect(change.new.count).toBe(1);
      expect(await collect(store.log('log'))).toEqual(['new']);
    });

    it('logs under different keys are independent', async () => {
      const { store } = ctx;
      await run(store.append('a', 1));
      await run(store.append({ log: 'b' }, 2));
      await run(store.append('a', 3));
      expect(await collect(store.log('a'))).toEqual([1, 3]);
      expect(await collect(store.log({ log: 'b' }))).toEqual([2]);
    });
  });
}
