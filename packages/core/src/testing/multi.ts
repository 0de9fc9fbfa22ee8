/**
 * Batch operations: `multiGet` emits a Map of the found keys only (keyed by the caller's own key
 * objects), `multiAssoc` takes ordered pairs or a record and applies them in order, and
 * `multiDissoc` reports per key whether it existed.
 */
import type { Key } from '../store-api';
import type { ComplianceContext } from './context';
import { listIds, run } from './util';

/**
 * Registers the multi-key tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function multiTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('multi', () => {
    it('multiGet emits a Map of the found keys only', async () => {
      const { store } = ctx;
      await run(store.assoc('a', 1));
      await run(store.assoc('b', null));
      const found = await run(store.multiGet(['a', 'b', 'missing']));
      expect(found).toBeInstanceOf(Map);
      expect([...found.entries()].sort()).toEqual([
        ['a', 1],
        ['b', null],
      ]);
    });

    it("multiGet uses the caller's key objects as Map keys", async () => {
      const { store } = ctx;
      await run(store.assoc({ a: 1, b: 2 }, 'structured'));
      const mine = { b: 2, a: 1 };
      const found = await run(store.multiGet([mine, ['nope']]));
      expect(found.size).toBe(1);
      expect(found.get(mine)).toBe('structured');
    });

    it('multiGet of no keys emits an empty Map', async () => {
      const found = await run(ctx.store.multiGet([]));
      expect(found).toBeInstanceOf(Map);
      expect(found.size).toBe(0);
    });

    it('multiAssoc of ordered pairs stores every value and emits a Map of keys to true', async () => {
      const { store } = ctx;
      const structured = { id: 3 };
      const result = await run(
        store.multiAssoc([
          ['a', 1],
          ['b', { x: [1] }],
          [structured, 'three'],
        ] as [Key, unknown][]),
      );
      expect(result).toBeInstanceOf(Map);
      expect(result.get('a')).toBe(true);
      expect(result.get('b')).toBe(true);
      expect(result.get(structured)).toBe(true);
      expect(result.size).toBe(3);
      expect(await run(store.get('b'))).toEqual({ x: [1] });
      expect(await run(store.get({ id: 3 }))).toBe('three');
    });

    it('multiAssoc of a record stores every field as a string key', async () => {
      const { store } = ctx;
      const result = await run(store.multiAssoc({ one: 1, two: 'zwei', falsy: 0 }));
      expect([...result.keys()].sort()).toEqual(['falsy', 'one', 'two']);
      expect(await run(store.get('two'))).toBe('zwei');
      expect(await run(store.get('falsy', 'nf'))).toBe(0);
    });

    it('multiAssoc applies entries in order: a key given twice ends with the later value', async () => {
      const { store } = ctx;
      await run(
        store.multiAssoc([
          ['k', 'first'],
          ['other', 1],
          ['k', 'second'],
        ]),
      );
      expect(await run(store.get('k'))).toBe('second');
    });

    it('multiAssoc overwrites existing values with type "value"', async () => {
      const { store } = ctx;
      await run(store.bassoc('b', new Uint8Array([1])));
      await run(store.multiAssoc([['b', 'now a value']]));
      expect(await run(store.get('b'))).toBe('now a value');
      expect((await run(store.getMeta('b')))?.type).toBe('value');
    });

    it('multiDissoc emits a Map of keys to whether each existed, and removes them', async () => {
      const { store } = ctx;
      await run(
        store.multiAssoc([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]),
      );
      const result = await run(store.multiDissoc(['a', 'missing', 'c']));
      expect(result).toBeInstanceOf(Map);
      expect(result.get('a')).toBe(true);
      expect(result.get('missing')).toBe(false);
      expect(result.get('c')).toBe(true);
      expect(result.size).toBe(3);
      expect(await run(store.exists('a'))).toBe(false);
      expect(await run(store.exists('b'))).toBe(true);
      expect(await run(store.exists('c'))).toBe(false);
    });

    it("multiDissoc uses the caller's key objects as Map keys", async () => {
      const { store } = ctx;
      await run(store.assoc([1, 2], 'x'));
      const mine: Key = [1, 2];
      const result = await run(store.multiDissoc([mine]));
      expect(result.get(mine)).toBe(true);
      expect(await run(store.exists([1, 2]))).toBe(false);
    });

    it('multiDissoc of a log removes the log and its element blobs', async () => {
      const { store } = ctx;
      await run(store.append('log', 1));
      await run(store.append('log', 2));
      expect((await run(store.multiDissoc(['log']))).get('log')).toBe(true);
      expect(await run(store.exists('log'))).toBe(false);
      expect(await listIds(store.backing)).toEqual([]);
    });
  });
}
