/**
 * Scopes (`store.scope(name)`, nestable): each scope is a namespace of its own. The same key in
 * two scopes is two keys; every method, listing and event stream of a scope sees only its keys;
 * `keys()`, `count()` and `clear()` of a scope never read a blob of another scope.
 */
import type { BackingStore } from '../backing';
import { createStore } from '../create-store';
import type { Store, WriteEvent } from '../store-api';
import type { ComplianceContext } from './context';
import { collect, errorOf, listIds, record, run } from './util';

/**
 * Registers the scope tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function scopeTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  const sortedKeys = async (s: Store): Promise<unknown[]> => (await collect(s.keys())).map((m) => m.key as string).sort();

  describe('scopes', () => {
    it('the same key in the store, a scope, a sibling and a nested scope is four keys', async () => {
      const { store } = ctx;
      const [a, b] = [store.scope('a'), store.scope('b')];
      const ab = a.scope('b');
      for (const [s, v] of [
        [store, 0],
        [a, 1],
        [b, 2],
        [ab, 3],
      ] as const)
        await run(s.assoc('k', v));
      expect(await Promise.all([store, a, b, ab].map((s) => run(s.get('k'))))).toEqual([0, 1, 2, 3]);
      expect((await run(ab.getMeta('k')))?.key).toBe('k');
      expect(ab.scopePath).toEqual(['a', 'b']);
      await run(a.dissoc('k'));
      expect(await Promise.all([store, a, b, ab].map((s) => run(s.exists('k'))))).toEqual([true, false, true, true]);
      // a scope is found again by its name
      expect(await run(store.scope('b').get('k'))).toBe(2);
    });

    it('keys() and count() list only the scope: not the store, not siblings, not nested scopes', async () => {
      const { store } = ctx;
      const a = store.scope('a');
      await run(
        store.multiAssoc([
          ['root-1', 1],
          ['root-2', 2],
        ]),
      );
      await run(
        a.multiAssoc([
          ['a-1', 1],
          ['a-2', 2],
        ]),
      );
      await run(a.bassoc('a-bin', 'bytes'));
      await run(a.append('a-log', 'x'));
      await run(a.scope('inner').assoc('inner-1', 1));
      await run(store.scope('sibling').assoc('s-1', 1));
      expect(await sortedKeys(store)).toEqual(['root-1', 'root-2']);
      expect(await sortedKeys(a)).toEqual(['a-1', 'a-2', 'a-bin', 'a-log']);
      expect(await sortedKeys(a.scope('inner'))).toEqual(['inner-1']);
      expect(await Promise.all([store, a, a.scope('inner'), store.scope('none')].map((s) => run(s.count())))).toEqual([2, 4, 1, 0]);
    });

    it('clear() of a scope removes its keys, logs and binaries only', async () => {
      const { store } = ctx;
      const a = store.scope('a');
      await run(store.assoc('root', 1));
      await run(a.assoc('v', 1));
      await run(a.bassoc('bin', 'bytes'));
      for (const e of [1, 2]) await run(a.append('log', e));
      await run(a.scope('inner').assoc('v', 2));
      const before = await listIds(store.backing);
      expect(await run(a.clear())).toBe(3);
      expect(await run(a.count())).toBe(0);
      expect(await collect(a.log('log'))).toEqual([]);
      expect(await run(store.get('root'))).toBe(1);
      expect(await run(a.scope('inner').get('v'))).toBe(2);
      // the log's elements went too: only the cleared scope's blobs are gone
      expect((await listIds(store.backing)).length).toBe(before.length - 5);
    });

    it('changes() of a scope carries only its writes; the store hears only its own keys', async () => {
      const { store } = ctx;
      const a = store.scope('a');
      const inA = record(a.changes());
      const inRoot = record(store.changes());
      await run(store.assoc('k', 'root'));
      await run(store.scope('b').assoc('k', 'b'));
      await run(a.scope('inner').assoc('k', 'inner'));
      await run(a.assoc('k', 'a'));
      await run(a.update('n', (n: number | undefined) => (n ?? 0) + 1));
      await run(store.assoc('sentinel', true));
      // events are published in commit order: once the store hears the last write, the scope has heard its own
      await inRoot.when((v) => v.some((e) => e.key === 'sentinel'));
      inA.stop();
      inRoot.stop();
      expect(inA.values.map((e: WriteEvent) => [e.op, e.key, e.value])).toEqual([
        ['assoc', 'k', 'a'],
        ['update', 'n', 1],
      ]);
      expect(inRoot.values.map((e: WriteEvent) => e.value)).toEqual(['root', true]);
    });

    it('watch() in a scope follows the scope key, not the same key elsewhere', async () => {
      const { store } = ctx;
      const a = store.scope('a');
      const watched = record(a.watch('k'));
      await watched.until(1);
      await run(store.assoc('k', 'root'));
      await run(store.scope('b').assoc('k', 'b'));
      await run(a.assoc('k', 'a'));
      await run(a.dissoc('k'));
      expect(await watched.until(3)).toEqual([undefined, 'a', undefined]);
      watched.stop();
    });

    it('paths, updates, multi operations, logs and binaries work inside a scope', async () => {
      const a = ctx.store.scope('a').scope('b');
      await run(a.assocIn(['doc', 'x', 'y'], 1));
      await run(a.updateIn(['doc', 'x', 'y'], (n: number | undefined) => (n ?? 0) + 1));
      expect(await run(a.getIn(['doc', 'x', 'y']))).toBe(2);
      await run(a.multiAssoc({ m1: 1, m2: 2 }));
      expect(await run(a.multiGet(['m1', 'm2', 'doc']))).toEqual(
        new Map<string, unknown>([
          ['m1', 1],
          ['m2', 2],
          ['doc', { x: { y: 2 } }],
        ]),
      );
      expect(await run(a.multiDissoc(['m1', 'missing']))).toEqual(
        new Map([
          ['m1', true],
          ['missing', false],
        ]),
      );
      await run(a.append('log', 'e1'));
      await run(a.append('log', 'e2'));
      expect(await collect(a.log('log'))).toEqual(['e1', 'e2']);
      await run(a.bassoc('bin', new Uint8Array([1, 2, 3])));
      expect(await run(a.bget('bin', (blob) => blob.bytes()))).toEqual(new Uint8Array([1, 2, 3]));
      expect(await run(ctx.store.count())).toBe(0);
    });

    it('keys(), count() and clear() of a scope read no blob outside it', async () => {
      const { store } = ctx;
      await run(
        store.multiAssoc([
          ['r1', 1],
          ['r2', 2],
        ]),
      );
      await run(
        store.scope('other').multiAssoc([
          ['o1', 1],
          ['o2', 2],
        ]),
      );
      const before = new Set(await listIds(store.backing));
      await run(
        store.scope('a').multiAssoc([
          ['a1', 1],
          ['a2', 2],
        ]),
      );
      const own = new Set((await listIds(store.backing)).filter((id) => !before.has(id)));
      const seen = readsOf(store.backing);
      const a = createStore(seen.backing).scope('a');
      expect((await collect(a.keys())).map((m) => m.key).sort()).toEqual(['a1', 'a2']);
      expect(await run(a.count())).toBe(2);
      expect(await run(a.clear())).toBe(2);
      expect(seen.ids.filter((id) => !own.has(id))).toEqual([]);
      // with listPrefix the backing is asked for the scope's ids only
      if (store.backing.listPrefix !== undefined) expect(seen.fullListings()).toBe(0);
      expect(await run(store.count())).toBe(2);
    });

    it('a scope name must be a non-empty string; a scope shares the store id and its lifecycle', async () => {
      const { store } = ctx;
      for (const bad of ['', 1, null, undefined, ['a']]) {
        let refused: unknown;
        try {
          store.scope(bad as string);
        } catch (e) {
          refused = e;
        }
        expect((refused as { code?: unknown } | undefined)?.code).toBe('ERR_INVALID_ARGUMENT');
      }
      const a = store.scope('a');
      expect(a.storeId).toBe(store.storeId);
      expect(store.scopePath).toEqual([]);
      await ctx.close();
      expect((await errorOf(a.get('k'))).code).toBe('ERR_CLOSED');
    });
  });
}

/** The backing seen through a proxy that records the ids of every blob read and counts full listings. */
function readsOf(backing: BackingStore): { backing: BackingStore; ids: string[]; fullListings: () => number } {
  const ids: string[] = [];
  let listings = 0;
  const reads = new Set<PropertyKey>(['read', 'readHead', 'open']);
  const proxy = new Proxy(backing, {
    get(target, name, receiver) {
      const member = Reflect.get(target, name, receiver) as unknown;
      if (typeof member !== 'function') return member;
      if (reads.has(name)) {
        return (id: string, ...rest: unknown[]) => {
          ids.push(id);
          return (member as (...args: unknown[]) => unknown).call(target, id, ...rest);
        };
      }
      if (name === 'list') listings++;
      return (member as (...args: unknown[]) => unknown).bind(target);
    },
  });
  return { backing: proxy, ids, fullListings: () => listings };
}
