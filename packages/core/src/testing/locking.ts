/**
 * Locking: operations on one key run in subscription order (reads included), different keys
 * never wait for each other, unsubscribing never leaves a key stuck or a write half-done, and
 * the lock registry is empty once work is done.
 * A pending `bget` read function holds a key's lock, which makes "busy" observable from outside.
 */
import { merge } from 'rxjs';
import { inspectStore } from '../index';
import type { ComplianceContext } from './context';
import { collect, failure, gate, run, sameBytes, seededBytes, settle, start } from './util';

const inc = (n: unknown) => ((n as number | undefined) ?? 0) + 1;
/**
 * Registers the locking tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function lockingTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('locking', () => {
    it('a get subscribed right after an assoc of the same key sees the new value', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 'old'));
      const write = start(store.assoc('k', 'new'));
      const read = start(store.get('k'));
      const exists = start(store.exists('k'));
      expect(await read).toBe('new');
      expect(await exists).toBe(true);
      await write;
    });

    it("an update function runs under its key's lock: operations it subscribes on that key wait for the update", async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1));
      let inside: Promise<unknown> | undefined;
      let overwrite: Promise<unknown> | undefined;
      const updated = run(
        store.update('k', (n: unknown) => {
          // a reentrant read and write, subscribed while the update holds the key
          inside ??= start(store.get('k'));
          overwrite ??= start(store.assoc('k', 100));
          return (n as number) + 1;
        }),
      );
      expect(await updated).toEqual({ old: 1, new: 2 });
      expect(await inside).toBe(2);
      await overwrite;
      expect(await run(store.get('k'))).toBe(100);
    });

    it('reads subscribed right after dissoc and bassoc see those writes', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 'old'));
      const gone = start(store.dissoc('k'));
      const afterDissoc = start(store.get('k', 'nf'));
      const bin = start(store.bassoc('k', new Uint8Array([7])));
      const meta = start(store.getMeta('k'));
      expect(await afterDissoc).toBe('nf');
      expect((await meta)?.type).toBe('binary');
      expect([await gone, (await bin).type]).toEqual([true, 'binary']);
    });

    it('while one key is busy, operations on another key complete', async () => {
      const { store } = ctx;
      await run(store.bassoc('busy', new Uint8Array([1])));
      const hold = gate();
      const reading = start(store.bget('busy', () => hold.promise.then(() => 'done')));
      await run(store.assoc('other', 1));
      expect(await run(store.update('other', inc))).toEqual({ old: 1, new: 2 });
      expect(await run(store.get('other'))).toBe(2);
      hold.open();
      expect(await reading).toBe('done');
    });

    it('operations on a busy key wait their turn, reads included, and run in subscription order', async () => {
      const { store } = ctx;
      await run(store.bassoc('busy', new Uint8Array([1])));
      const hold = gate();
      const reading = start(store.bget('busy', () => hold.promise.then(() => 'held')));
      let settled = 0;
      const write = start(store.assoc('busy', 'new')).finally(() => settled++);
      const read = start(store.get('busy')).finally(() => settled++);
      await settle(5);
      expect(settled).toBe(0);
      hold.open();
      expect(await reading).toBe('held');
      await write;
      expect(await read).toBe('new');
    });

    it('the lock registry is empty after all operations complete, also after failed ones', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1));
      await run(store.update('k', inc));
      await failure(
        store.update('k', () => {
          throw new Error('domain');
        }),
      );
      await failure(store.assoc('k', () => 1));
      await failure(store.get(undefined as never));
      await collect(store.keys());
      await run(store.append('log', 1));
      await collect(store.log('log'));
      expect(inspectStore(store).activeLocks).toBe(0);
    });

    it('touching 1000 distinct keys leaves no locks behind', async () => {
      const { store } = ctx;
      await collect(merge(...Array.from({ length: 100 }, (_, i) => store.assoc(['w', i], i))));
      const found = await collect(merge(...Array.from({ length: 1000 }, (_, i) => store.get(['w', i], 'nf')), 50));
      expect(found.filter((v) => v !== 'nf')).toHaveLength(100);
      expect(inspectStore(store).activeLocks).toBe(0);
    });

    it('unsubscribing from a write at once leaves the old or the new value and the key usable', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 'old'));
      store.assoc('k', 'new').subscribe().unsubscribe();
      store
        .update('k', () => 'updated')
        .subscribe()
        .unsubscribe();
      expect(['old', 'new', 'updated']).toContain(await run(store.get('k')));
      expect(await run(store.update('k', () => 'after'))).toMatchObject({ new: 'after' });
      await settle();
      expect(inspectStore(store).activeLocks).toBe(0);
    });

    it('unsubscribing from a write shortly after subscribing leaves the old or the new value', async () => {
      const { store } = ctx;
      await run(store.assoc('k', { v: 'old' }));
      for (const delay of [0, 1, 3]) {
        const sub = store.assoc('k', { v: `new-${delay}` }).subscribe();
        await new Promise((r) => setTimeout(r, delay));
        sub.unsubscribe();
        const v = ((await run(store.get('k'))) as { v: string }).v;
        expect(['old', 'new-0', 'new-1', 'new-3']).toContain(v);
      }
      await settle();
      expect(inspectStore(store).activeLocks).toBe(0);
    });

    it('unsubscribing from an operation queued behind a busy key does not stall the queue', async () => {
      const { store } = ctx;
      await run(store.bassoc('busy', new Uint8Array([1])));
      const hold = gate();
      const reading = start(store.bget('busy', () => hold.promise));
      store.assoc('busy', 'abandoned').subscribe().unsubscribe();
      const read = start(store.get('busy'));
      hold.open();
      await reading;
      const v = await read;
      expect(v instanceof Uint8Array || v === 'abandoned').toBe(true);
      expect(await run(store.assoc('busy', 'next'))).toMatchObject({ key: 'busy' });
      await settle();
      expect(inspectStore(store).activeLocks).toBe(0);
    });

    it('unsubscribing from a streaming bassoc midway leaves the old or the whole new binary', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', new Uint8Array([1, 2, 3])));
      const data = seededBytes(256 * 1024, 3);
      const pause = gate();
      const slow = async function* (): AsyncGenerator<Uint8Array> {
        yield data.subarray(0, 65536);
        await pause.promise;
        yield data.subarray(65536);
      };
      const sub = store.bassoc('bin', slow()).subscribe({ error: () => undefined });
      await settle();
      sub.unsubscribe();
      pause.open();
      const back = (await run(store.bget('bin', (b) => b.bytes())))!;
      expect(sameBytes(back, new Uint8Array([1, 2, 3])) || sameBytes(back, data)).toBe(true);
      await settle();
      expect(inspectStore(store).activeLocks).toBe(0);
    });
  });
}
