/**
 * Isolation: what is stored is a snapshot. Mutating a value returned by `get`, an object passed
 * to `assoc` (after subscribing), a result of `update`, or a value seen in `changes()` never
 * changes the stored value; `get` returns fresh, mutable (unfrozen) copies. Two stores from
 * `connect()` share nothing.
 */
import type { ComplianceContext } from './context';
import { collect, record, run } from './util';

type Doc = { a: number; list: number[]; inner: { x: string } };
const doc = (): Doc => ({ a: 1, list: [1, 2], inner: { x: 'y' } });

/**
 * Registers the isolation tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function isolationTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('isolation', () => {
    it('get returns a fresh, mutable copy: mutating it changes nothing stored', async () => {
      const { store } = ctx;
      await run(store.assoc('k', doc()));
      const first = (await run(store.get('k'))) as Doc;
      expect(Object.isFrozen(first)).toBe(false);
      expect(Object.isFrozen(first.inner)).toBe(false);
      first.a = 99;
      first.list.push(3);
      first.inner.x = 'changed';
      const second = (await run(store.get('k'))) as Doc;
      expect(second).toEqual(doc());
      expect(second).not.toBe(first);
    });

    it('typed arrays returned by get are copies: writing into them changes nothing stored', async () => {
      const { store } = ctx;
      await run(store.assoc('bytes', { u: new Uint8Array([1, 2, 3]), f: new Float64Array([0.5, 1.5]) }));
      const first = (await run(store.get('bytes'))) as { u: Uint8Array; f: Float64Array };
      first.u[0] = 99;
      first.f[1] = 99;
      expect(await run(store.get('bytes'))).toEqual({ u: new Uint8Array([1, 2, 3]), f: new Float64Array([0.5, 1.5]) });
    });

    it('getIn returns a copy: mutating it changes nothing stored', async () => {
      const { store } = ctx;
      await run(store.assoc('k', doc()));
      const inner = (await run(store.getIn(['k', 'inner']))) as Doc['inner'];
      inner.x = 'changed';
      expect(await run(store.get('k'))).toEqual(doc());
    });

    it('mutating the object passed to assoc after subscribing changes nothing stored', async () => {
      const { store } = ctx;
      const value = doc();
      const writing = run(store.assoc('k', value));
      value.a = 2;
      value.list.push(3);
      value.inner.x = 'changed';
      await writing;
      value.a = 3;
      expect(await run(store.get('k'))).toEqual(doc());
    });

    it('mutating the new value emitted by update changes nothing stored', async () => {
      const { store } = ctx;
      await run(store.assoc('k', doc()));
      const change = await run(store.update('k', (old) => ({ ...(old as Doc), a: 5 })));
      (change.new as Doc).inner.x = 'changed';
      (change.old as Doc).list.push(9);
      expect(await run(store.get('k'))).toEqual({ ...doc(), a: 5 });
    });

    it("mutating the value in an update function's argument only matters through its result", async () => {
      const { store } = ctx;
      await run(store.assoc('k', doc()));
      await run(
        store.update('k', (old) => {
          (old as Doc).list.push(3);
          return 'replaced';
        }),
      );
      expect(await run(store.get('k'))).toBe('replaced');
    });

    it('mutating values seen in changes() changes nothing stored', async () => {
      const { store } = ctx;
      const rec = record(store.changes());
      await run(store.assoc('k', doc()));
      const [event] = await rec.until(1);
      (event!.value as Doc).inner.x = 'changed';
      rec.stop();
      expect(await run(store.get('k'))).toEqual(doc());
    });

    it('multiGet returns copies: mutating them changes nothing stored', async () => {
      const { store } = ctx;
      await run(store.assoc('k', doc()));
      const found = await run(store.multiGet(['k']));
      (found.get('k') as Doc).a = 42;
      expect(await run(store.get('k'))).toEqual(doc());
    });

    it('two stores from connect() share nothing', async () => {
      const { store } = ctx;
      const other = await ctx.connect();
      await run(store.assoc('k', 'first store'));
      await run(other.assoc('only-other', 1));
      expect(await run(other.exists('k'))).toBe(false);
      expect(await run(store.exists('only-other'))).toBe(false);
      expect((await collect(other.keys())).map((m) => m.key)).toEqual(['only-other']);
    });
  });
}
