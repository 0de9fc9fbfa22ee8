/**
 * `watch(key)`: emits the key's current value first (`undefined` when missing), then the value
 * after each committed write of that key, ignoring other keys; completes on close. Each watcher
 * gets its own copies. Writes start only after the first value arrived, so the initial read
 * never races them.
 */
import type { ComplianceContext } from './context';
import { failure, record, run } from './util';

/**
 * Registers the watch tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function watchTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('watch()', () => {
    it('watch of a missing key emits undefined first', async () => {
      const rec = record(ctx.store.watch('k'));
      expect(await rec.until(1)).toEqual([undefined]);
      rec.stop();
    });

    it('watch of a stored key emits its current value first', async () => {
      await run(ctx.store.assoc('k', { v: 1 }));
      const rec = record(ctx.store.watch('k'));
      expect(await rec.until(1)).toEqual([{ v: 1 }]);
      rec.stop();
    });

    it('watch emits the value after each write of the key, undefined after dissoc, and completes on close', async () => {
      const { store } = ctx;
      const rec = record(store.watch('k'));
      await rec.until(1);
      await run(store.assoc('k', 1));
      await run(store.update('k', (n) => (n as number) + 1));
      await run(store.dissoc('k'));
      await run(store.assocIn(['k', 'a'], 'x'));
      await run(store.updateIn(['k', 'a'], (s) => `${String(s)}y`));
      await run(store.multiAssoc([['k', 'multi']]));
      await run(store.multiDissoc(['k']));
      await ctx.close();
      expect(await rec.completed()).toEqual([undefined, 1, 2, undefined, { a: 'x' }, { a: 'xy' }, 'multi', undefined]);
    });

    it('watch ignores writes of other keys', async () => {
      const { store } = ctx;
      const rec = record(store.watch({ id: 'mine' }));
      await rec.until(1);
      await run(store.assoc({ id: 'other' }, 1));
      await run(store.assoc('mine', 1));
      await run(store.assoc({ id: 'mine' }, 'yes'));
      await ctx.close();
      expect(await rec.completed()).toEqual([undefined, 'yes']);
    });

    it('watch matches structured keys by value', async () => {
      const { store } = ctx;
      const rec = record(store.watch({ a: 1, b: [2, 3] }));
      await rec.until(1);
      await run(store.assoc({ b: [2, 3], a: 1 }, 'same key'));
      expect(await rec.until(2)).toEqual([undefined, 'same key']);
      rec.stop();
    });

    it('watch emits the log head after append and the bytes after bassoc', async () => {
      const { store } = ctx;
      const log = record(store.watch('log'));
      const bin = record(store.watch('bin'));
      await log.until(1);
      await bin.until(1);
      const change = await run(store.append('log', 'e'));
      await run(store.bassoc('bin', new Uint8Array([1, 2, 3])));
      expect(await log.until(2)).toEqual([undefined, change.new]);
      const bytes = (await bin.until(2))[1];
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(bytes as Uint8Array)).toEqual([1, 2, 3]);
      log.stop();
      bin.stop();
    });

    it('watch emits nothing for a failed write', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1));
      const rec = record(store.watch('k'));
      await rec.until(1);
      await failure(store.assoc('k', () => 1));
      await failure(
        store.update('k', () => {
          throw new Error('domain');
        }),
      );
      await run(store.assoc('k', 2));
      await ctx.close();
      expect(await rec.completed()).toEqual([1, 2]);
    });

    it('two watchers receive equal but distinct value objects', async () => {
      const { store } = ctx;
      const one = record(store.watch('k'));
      const two = record(store.watch('k'));
      await one.until(1);
      await two.until(1);
      await run(store.assoc('k', { nested: { list: [1] } }));
      const [a, b] = [(await one.until(2))[1], (await two.until(2))[1]];
      expect(a).toEqual({ nested: { list: [1] } });
      expect(b).toEqual(a);
      expect(b).not.toBe(a);
      (a as { nested: { list: number[] } }).nested.list.push(2);
      expect(b).toEqual({ nested: { list: [1] } });
      expect(await run(store.get('k'))).toEqual({ nested: { list: [1] } });
      one.stop();
      two.stop();
    });

    it('unsubscribing one watcher leaves the others running', async () => {
      const { store } = ctx;
      const one = record(store.watch('k'));
      const two = record(store.watch('k'));
      await one.until(1);
      await two.until(1);
      one.stop();
      await run(store.assoc('k', 'v'));
      expect(await two.until(2)).toEqual([undefined, 'v']);
      expect(one.values).toEqual([undefined]);
      two.stop();
    });
  });
}
