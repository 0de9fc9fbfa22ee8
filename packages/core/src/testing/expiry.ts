/**
 * Expiry: a write's `ttl` sets `Meta.expiresAt`; from that instant, by the store's clock, the key
 * is missing everywhere at once (reads, listings, counts, binaries, logs), `watch` emits
 * `undefined`, and `sweep({ expired: true })` removes its bytes. The tests run a store over the
 * suite's backing with a virtual clock, so nothing waits on wall time.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { createStore } from '../create-store';
import { sweep } from '../gc';
import type { Store } from '../store-api';
import type { ComplianceContext } from './context';
import { collect, errorOf, listIds, record, run } from './util';
import { virtualClock, type VirtualClock } from './virtual-clock';

/**
 * Registers the expiry tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function expiryTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  // the suite's backing under a store whose clock the test moves (closed with the suite's store)
  const clocked = (): { store: Store; clock: VirtualClock } => {
    const clock = virtualClock();
    return { store: createStore(ctx.store.backing, { scheduler: clock.scheduler }), clock };
  };

  describe('expiry (ttl)', () => {
    it('assoc with a ttl records expiresAt; the key is present until then and missing everywhere from then on', async () => {
      const { store, clock } = clocked();
      const meta = await run(store.assoc('k', { v: 1 }, { ttl: 1000 }));
      expect(meta.expiresAt).toBe(meta.lastWrite.getTime() + 1000);
      await run(store.assoc('stays', 1));
      clock.advance(999);
      expect(await run(store.get('k'))).toEqual({ v: 1 });
      expect(await run(store.getMeta('k'))).toEqual(expect.objectContaining({ expiresAt: meta.expiresAt }));
      clock.advance(1);
      expect(await run(store.get('k', 'nf'))).toBe('nf');
      expect(await run(store.getIn(['k', 'v'], 'nf'))).toBe('nf');
      expect(await run(store.exists('k'))).toBe(false);
      expect(await run(store.getMeta('k'))).toBeUndefined();
      expect((await collect(store.keys())).map((m) => m.key)).toEqual(['stays']);
      expect(await run(store.multiGet(['k', 'stays']))).toEqual(new Map([['stays', 1]]));
      expect(await run(store.count())).toBe(1);
      // a value key reads as a missing log (not as "not a log") once expired
      expect(await collect(store.log('k'))).toEqual([]);
    });

    it('bassoc with a ttl: bget reads undefined once expired', async () => {
      const { store, clock } = clocked();
      await run(store.bassoc('bin', 'bytes', { ttl: 50 }));
      const size = (s: Store) => run(s.bget('bin', (blob) => Promise.resolve(blob.size)));
      expect(await size(store)).toBe(5);
      clock.advance(50);
      expect(await size(store)).toBeUndefined();
    });

    it('multiAssoc, assocIn, update and updateIn take a ttl', async () => {
      const { store, clock } = clocked();
      await run(
        store.multiAssoc(
          [
            ['m1', 1],
            ['m2', 2],
          ],
          { ttl: 10 },
        ),
      );
      await run(store.assocIn(['a', 'x'], 1, { ttl: 10 }));
      await run(store.update('u', { ttl: 10, fn: (n: number | undefined, by: number) => (n ?? 0) + by }, 5));
      await run(store.updateIn(['ui', 'n'], { ttl: 10, fn: () => 1 }));
      expect(await run(store.get('u'))).toBe(5);
      expect(await run(store.count())).toBe(5);
      clock.advance(10);
      expect(await run(store.count())).toBe(0);
    });

    it('assoc without a ttl clears the expiry; update without one keeps it, with one replaces it', async () => {
      const { store, clock } = clocked();
      await run(store.assoc('cleared', 1, { ttl: 10 }));
      await run(store.assoc('cleared', 2));
      const first = await run(store.assoc('kept', 1, { ttl: 10 }));
      const updated = await run(store.update('kept', (n: number) => n + 1));
      expect(updated).toEqual({ old: 1, new: 2 });
      expect((await run(store.getMeta('kept')))?.expiresAt).toBe(first.expiresAt);
      await run(store.assoc('renewed', 1, { ttl: 10 }));
      await run(store.update('renewed', { ttl: 100, fn: (n: number) => n + 1 }));
      clock.advance(10);
      expect(await run(store.get('cleared'))).toBe(2);
      expect(await run(store.exists('kept'))).toBe(false);
      expect(await run(store.get('renewed'))).toBe(2);
      // an expired value is gone for update too: it starts from undefined
      expect(await run(store.update('kept', (n: unknown) => n ?? 'fresh'))).toEqual({ old: undefined, new: 'fresh' });
    });

    it('dissoc of an expired key answers false and removes its blob', async () => {
      const { store, clock } = clocked();
      await run(store.assoc('k', 1, { ttl: 10 }));
      clock.advance(10);
      expect(await run(store.dissoc('k'))).toBe(false);
      expect(await listIds(store.backing)).toEqual([]);
    });

    it('watch emits undefined when the watched key expires', async () => {
      const { store, clock } = clocked();
      await run(store.assoc('k', 'v', { ttl: 100 }));
      const rec = record(store.watch('k'));
      expect(await rec.until(1)).toEqual(['v']);
      clock.advance(99);
      expect(rec.values).toEqual(['v']);
      clock.advance(1);
      expect(rec.values).toEqual(['v', undefined]);
      // a new write with a ttl is watched and expires in turn
      await run(store.assoc('k', 'w', { ttl: 5 }));
      await rec.until(3);
      clock.advance(5);
      expect(rec.values).toEqual(['v', undefined, 'w', undefined]);
      rec.stop();
    });

    it('unsubscribing from watch cancels its expiry timer', async () => {
      const { store, clock } = clocked();
      await run(store.assoc('k', 'v', { ttl: 100 }));
      const rec = record(store.watch('k'));
      await rec.until(1);
      expect(clock.scheduler.actions.length).toBe(1);
      rec.stop();
      expect(clock.scheduler.actions.length).toBe(0);
    });

    it('changes() events carry expiresAt in their meta', async () => {
      const { store } = clocked();
      const rec = record(store.changes());
      const meta = await run(store.assoc('k', 1, { ttl: 10 }));
      const [event] = await rec.until(1);
      expect(event?.meta.expiresAt).toBe(meta.expiresAt);
      rec.stop();
    });

    it('sweep({ expired: true }) removes the blobs of expired keys only', async () => {
      const { store, clock } = clocked();
      await run(store.assoc('gone', 1, { ttl: 10 }));
      await run(store.bassoc('gone-bin', 'b', { ttl: 10 }));
      await run(store.assoc('live', 2, { ttl: 1000 }));
      await run(store.assoc('forever', 3));
      clock.advance(10);
      const events = await lastValueFrom(sweep(store, { expired: true }).pipe(toArray()));
      expect(events.map((e) => e.deleted).sort()).toEqual(['gone', 'gone-bin']);
      expect((await listIds(store.backing)).length).toBe(2);
      expect(await run(store.get('live'))).toBe(2);
      expect(await run(store.get('forever'))).toBe(3);
    });

    it('a ttl that is not a positive finite number fails with ERR_INVALID_ARGUMENT and writes nothing', async () => {
      const { store } = clocked();
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
        expect((await errorOf(store.assoc('k', 1, { ttl: ttl as number }))).code).toBe('ERR_INVALID_ARGUMENT');
      }
      expect((await errorOf(store.update('k', { ttl: -5, fn: () => 1 }))).code).toBe('ERR_INVALID_ARGUMENT');
      expect((await errorOf(store.multiAssoc([['k', 1]], { ttl: 0 }))).code).toBe('ERR_INVALID_ARGUMENT');
      expect(await listIds(store.backing)).toEqual([]);
    });
  });
}
