/**
 * Paths: `getIn`, `assocIn` and `updateIn` walk plain objects, arrays (numeric index) and Maps
 * (Map key); `assocIn` creates missing plain objects; a path through a non-collection is
 * `notFound` for reads and `ERR_INVALID_ARGUMENT` (changing nothing) for writes.
 */
import type { ComplianceContext } from './context';
import { errorOf, run } from './util';

const doc = () => ({ user: { name: 'Alice', langs: ['clj', 'ts'] }, n: 5, s: 'text' });

/**
 * Registers the path tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function pathTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('paths', () => {
    it('getIn reads nested fields and array indexes', async () => {
      const { store } = ctx;
      await run(store.assoc('d', doc()));
      expect(await run(store.getIn(['d', 'user', 'name']))).toBe('Alice');
      expect(await run(store.getIn(['d', 'user', 'langs', 1]))).toBe('ts');
    });

    it('getIn walks into Maps by Map key', async () => {
      const { store } = ctx;
      await run(
        store.assoc(
          'm',
          new Map<unknown, unknown>([
            ['x', { y: 1 }],
            [2, 'two'],
          ]),
        ),
      );
      expect(await run(store.getIn(['m', 'x', 'y']))).toBe(1);
      expect(await run(store.getIn(['m', 2]))).toBe('two');
    });

    it('getIn emits notFound when the key, a field or an index is missing', async () => {
      const { store } = ctx;
      await run(store.assoc('d', doc()));
      expect(await run(store.getIn(['nope', 'a'], 'nf'))).toBe('nf');
      expect(await run(store.getIn(['d', 'missing', 'deeper'], 'nf'))).toBe('nf');
      expect(await run(store.getIn(['d', 'user', 'langs', 9], 'nf'))).toBe('nf');
      expect(await run(store.getIn(['d', 'missing']))).toBeUndefined();
    });

    it('getIn through a number or a string emits notFound', async () => {
      const { store } = ctx;
      await run(store.assoc('d', doc()));
      expect(await run(store.getIn(['d', 'n', 'x'], 'nf'))).toBe('nf');
      expect(await run(store.getIn(['d', 's', 0], 'nf'))).toBe('nf');
      expect(await run(store.getIn(['d', 's', 'length'], 'nf'))).toBe('nf');
    });

    it('getIn keeps stored falsy values at the path', async () => {
      const { store } = ctx;
      await run(store.assoc('d', { z: 0, f: false, e: '', u: null }));
      for (const field of ['z', 'f', 'e', 'u']) {
        expect(await run(store.getIn(['d', field], 'nf'))).toBe(({ z: 0, f: false, e: '', u: null } as Record<string, unknown>)[field]);
      }
    });

    it('assocIn emits {old, new} of the top-level value and stores it', async () => {
      const { store } = ctx;
      await run(store.assoc('d', { a: { b: 1 } }));
      const change = await run(store.assocIn(['d', 'a', 'c'], 2));
      expect(change).toEqual({ old: { a: { b: 1 } }, new: { a: { b: 1, c: 2 } } });
      expect(await run(store.get('d'))).toEqual({ a: { b: 1, c: 2 } });
    });

    it('assocIn creates missing plain objects along the path, also for a missing key', async () => {
      const { store } = ctx;
      const change = await run(store.assocIn(['fresh', 'a', 'b', 'c'], 1));
      expect(change.old).toBeUndefined();
      expect(change.new).toEqual({ a: { b: { c: 1 } } });
      expect(await run(store.getIn(['fresh', 'a', 'b', 'c']))).toBe(1);
    });

    it('assocIn sets array elements by index and Map entries by Map key', async () => {
      const { store } = ctx;
      await run(store.assoc('d', { list: [1, 2, 3], m: new Map([['k', 'old']]) }));
      await run(store.assocIn(['d', 'list', 1], 20));
      await run(store.assocIn(['d', 'm', 'k'], 'new'));
      const back = (await run(store.get('d'))) as { list: number[]; m: Map<string, string> };
      expect(back.list).toEqual([1, 20, 3]);
      expect(back.m).toBeInstanceOf(Map);
      expect(back.m.get('k')).toBe('new');
    });

    it('assocIn through a number or a string errors with ERR_INVALID_ARGUMENT and changes nothing', async () => {
      const { store } = ctx;
      await run(store.assoc('d', doc()));
      for (const path of [
        ['d', 'n', 'x'],
        ['d', 's', 0],
        ['d', 'user', 'name', 'first'],
      ] as const) {
        const err = await errorOf(store.assocIn(path, 1));
        expect(err.code).toBe('ERR_INVALID_ARGUMENT');
      }
      expect(await run(store.get('d'))).toEqual(doc());
    });

    it('updateIn emits {old, new} of the value at the path and stores it', async () => {
      const { store } = ctx;
      await run(store.assoc('d', doc()));
      const change = await run(store.updateIn(['d', 'n'], (n, by: number) => (n as number) + by, 10));
      expect(change).toEqual({ old: 5, new: 15 });
      expect(await run(store.get('d'))).toEqual({ ...doc(), n: 15 });
    });

    it('updateIn of a missing path calls fn with undefined and creates the path', async () => {
      const { store } = ctx;
      const change = await run(store.updateIn(['counter', 'hits'], (n) => ((n as number | undefined) ?? 0) + 1));
      expect(change).toEqual({ old: undefined, new: 1 });
      expect(await run(store.get('counter'))).toEqual({ hits: 1 });
    });

    it('a path of length 1 behaves like get, assoc and update', async () => {
      const { store } = ctx;
      expect(await run(store.getIn(['k'], 'nf'))).toBe('nf');
      expect(await run(store.assocIn(['k'], { v: 1 }))).toEqual({ old: undefined, new: { v: 1 } });
      expect(await run(store.get('k'))).toEqual({ v: 1 });
      expect(await run(store.getIn(['k']))).toEqual({ v: 1 });
      expect(await run(store.updateIn(['k'], () => 2))).toEqual({ old: { v: 1 }, new: 2 });
      expect(await run(store.get('k'))).toBe(2);
    });

    it('paths start with a structured key compared by value', async () => {
      const { store } = ctx;
      await run(store.assocIn([{ b: 2, a: 1 }, 'x'], 'y'));
      expect(await run(store.getIn([{ a: 1, b: 2 }, 'x']))).toBe('y');
      expect(await run(store.get({ a: 1, b: 2 }))).toEqual({ x: 'y' });
    });
  });
}
