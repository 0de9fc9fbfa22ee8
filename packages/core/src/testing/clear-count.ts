/**
 * `clear()` and `count()`: count emits how many keys a store holds (values, binaries and logs,
 * never a log's element blobs); clear removes them all, log elements included, emits how many it
 * removed, and publishes one `multiDissoc` event per removed key.
 */
import type { WriteEvent } from '../store-api';
import type { ComplianceContext } from './context';
import { addedBlobId, collect, listIds, record, run } from './util';

/**
 * Registers the clear and count tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function clearCountTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('clear() and count()', () => {
    it('count() of an empty store is 0; it counts values, binaries and logs once each', async () => {
      const { store } = ctx;
      expect(await run(store.count())).toBe(0);
      await run(store.assoc('value', 1));
      await run(store.assoc({ structured: ['key'] }, null));
      await run(store.bassoc('binary', 'bytes'));
      for (const e of [1, 2, 3]) await run(store.append('log', e));
      expect(await run(store.count())).toBe(4);
      await run(store.dissoc('value'));
      expect(await run(store.count())).toBe(3);
    });

    it('clear() removes every key, log elements included, and emits how many it removed', async () => {
      const { store } = ctx;
      await run(store.multiAssoc(Array.from({ length: 300 }, (_, i) => [`k${i}`, i] as const)));
      await run(store.bassoc('binary', 'bytes'));
      for (const e of [1, 2, 3]) await run(store.append('log', e));
      expect(await run(store.clear())).toBe(302);
      expect(await run(store.count())).toBe(0);
      expect(await collect(store.keys())).toEqual([]);
      expect(await collect(store.log('log'))).toEqual([]);
      expect(await listIds(store.backing)).toEqual([]);
      // the store stays usable
      await run(store.assoc('after', true));
      expect(await run(store.get('after'))).toBe(true);
    });

    it('clear() also removes an entry whose meta is damaged (by its blob id), and counts it', async () => {
      const { store } = ctx;
      await run(store.assoc('good', 1));
      const id = await addedBlobId(store, () => run(store.assoc('damaged', 2)));
      // bytes that were never a blob: keys() cannot tell its key
      await store.backing.write(id, new TextEncoder().encode('not a konserve blob'));
      expect(await run(store.count())).toBe(2);
      expect(await run(store.clear())).toBe(2);
      expect(await listIds(store.backing)).toEqual([]);
    });

    it('clear() of an empty store emits 0', async () => {
      expect(await run(ctx.store.clear())).toBe(0);
    });

    it('clear() publishes a multiDissoc event for each key it removed', async () => {
      const { store } = ctx;
      await run(
        store.multiAssoc([
          ['a', 1],
          ['b', 2],
        ]),
      );
      const events = record(store.changes());
      await run(store.clear());
      await run(store.assoc('sentinel', 0));
      const all = (await events.when((e) => e.some((x) => x.key === 'sentinel'))) as WriteEvent[];
      events.stop();
      const removed = all.filter((e) => e.key !== 'sentinel');
      expect(removed.map((e) => [e.op, e.key]).sort()).toEqual([
        ['multiDissoc', 'a'],
        ['multiDissoc', 'b'],
      ]);
    });

    it('a watcher of a cleared key sees undefined', async () => {
      const { store } = ctx;
      await run(store.assoc('watched', 'here'));
      const watched = record(store.watch('watched'));
      await watched.until(1);
      await run(store.clear());
      expect(await watched.until(2)).toEqual(['here', undefined]);
      watched.stop();
    });
  });
}
