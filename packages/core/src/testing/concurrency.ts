/**
 * Concurrency: many operations in flight at once (a `merge` of subscriptions) behave as if run
 * one after another in subscription order, per key, even when the backing completes calls out
 * of order. Counts stay modest so the fs backend with fsync runs this quickly.
 */
import { merge } from 'rxjs';
import type { ComplianceContext } from './context';
import { collect, run, start } from './util';

const inc = (n: unknown) => ((n as number | undefined) ?? 0) + 1;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Registers the concurrency tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function concurrencyTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('concurrency', () => {
    it('100 concurrent updates of one key apply exactly 100 times', async () => {
      const { store } = ctx;
      const changes = await collect(merge(...range(100).map(() => store.update('n', inc))));
      expect(await run(store.get('n'))).toBe(100);
      expect(changes.map((c) => c.new as number).sort((a, b) => a - b)).toEqual(range(100).map((i) => i + 1));
    });

    it('50 concurrent assocs of 1..50 to one key, subscribed in order, end at 50', async () => {
      const { store } = ctx;
      await collect(merge(...range(50).map((i) => store.assoc('k', i + 1))));
      expect(await run(store.get('k'))).toBe(50);
    });

    it('concurrent updates of 10 keys apply exactly 10 times each', async () => {
      const { store } = ctx;
      await collect(merge(...range(100).map((i) => store.update(['counter', i % 10], inc))));
      const keys = range(10).map((i) => ['counter', i]);
      const found = await run(store.multiGet(keys));
      expect(keys.map((k) => found.get(k))).toEqual(range(10).map(() => 10));
    });

    it('20 concurrent appends to one log keep every element in subscription order', async () => {
      const { store } = ctx;
      const heads = await collect(merge(...range(20).map((i) => store.append('log', i))));
      expect(await collect(store.log('log'))).toEqual(range(20));
      expect(heads.map((c) => c.new.count).sort((a, b) => a - b)).toEqual(range(20).map((i) => i + 1));
      expect(await run(store.reduceLog('log', (acc: number, x: number) => acc + x, 0))).toBe(190);
    });

    it('concurrent updateIn of different fields of one key keep every field', async () => {
      const { store } = ctx;
      await collect(merge(...range(20).map((i) => store.updateIn(['doc', `f${i % 5}`], inc))));
      expect(await run(store.get('doc'))).toEqual({ f0: 4, f1: 4, f2: 4, f3: 4, f4: 4 });
    });

    it('assoc, dissoc and assoc of one key in flight at once apply in subscription order', async () => {
      const { store } = ctx;
      const first = start(store.assoc('k', 1));
      const removed = start(store.dissoc('k'));
      const second = start(store.assoc('k', 2));
      const read = start(store.get('k'));
      await first;
      expect(await removed).toBe(true);
      await second;
      expect(await read).toBe(2);
    });

    it('two concurrent multiAssocs over the same keys in opposite order finish (no deadlock) in subscription order', async () => {
      const { store } = ctx;
      const one = start(
        store.multiAssoc([
          ['a', 1],
          ['b', 1],
        ]),
      );
      const two = start(
        store.multiAssoc([
          ['b', 2],
          ['a', 2],
        ]),
      );
      await Promise.all([one, two]);
      expect(await run(store.multiGet(['a', 'b']))).toEqual(
        new Map([
          ['a', 2],
          ['b', 2],
        ]),
      );
    });

    it('updates subscribed after a multiAssoc of their key see its value', async () => {
      const { store } = ctx;
      const batch = start(
        store.multiAssoc([
          ['x', 100],
          ['y', 'other'],
        ]),
      );
      const updates = collect(merge(...range(10).map(() => store.update('x', inc))));
      await batch;
      await updates;
      expect(await run(store.get('x'))).toBe(110);
    });

    it('a multiGet subscribed after writes to its keys sees them all', async () => {
      const { store } = ctx;
      const writes = range(10).map((i) => start(store.assoc(['m', i], i * i)));
      const keys = range(10).map((i) => ['m', i]);
      const found = await run(store.multiGet(keys));
      await Promise.all(writes);
      expect(keys.map((k) => found.get(k))).toEqual(range(10).map((i) => i * i));
    });
  });
}
