/**
 * Basic map semantics: exists / get / assoc / dissoc, missing keys versus stored falsy values,
 * round-trips of the default serializer's richer types, and keys compared by value through
 * their canonical encoding.
 */
import type { Key } from '../store-api';
import type { ComplianceContext } from './context';
import { eachIt } from './harness';
import { USER_BLOB_ID, listIds, run } from './util';

/**
 * Registers the basic exists/get/assoc/dissoc tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function basicTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('basic', () => {
    it('get of a missing key emits undefined', async () => {
      expect(await run(ctx.store.get('missing'))).toBeUndefined();
    });

    it('get of a missing key emits the given notFound', async () => {
      expect(await run(ctx.store.get('missing', 'nf'))).toBe('nf');
    });

    it('exists of a missing key emits false', async () => {
      expect(await run(ctx.store.exists('missing'))).toBe(false);
    });

    it('assoc then get emits the stored value, and exists emits true', async () => {
      const { store } = ctx;
      await run(store.assoc('doc', { name: 'Alice', tags: ['a', 'b'], n: 3 }));
      expect(await run(store.get('doc'))).toEqual({ name: 'Alice', tags: ['a', 'b'], n: 3 });
      expect(await run(store.exists('doc'))).toBe(true);
    });

    it('assoc overwrites the previous value', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 'first'));
      await run(store.assoc('k', 'second'));
      expect(await run(store.get('k'))).toBe('second');
    });

    eachIt(
      it,
      [
        ['null', null],
        ['false', false],
        ['0', 0],
        ["''", ''],
      ],
      'a stored %s is present: exists is true and get returns it, not notFound',
      async (_label, value) => {
        const { store } = ctx;
        await run(store.assoc('falsy', value));
        expect(await run(store.exists('falsy'))).toBe(true);
        expect(await run(store.get('falsy'))).toBe(value);
        expect(await run(store.get('falsy', 'nf'))).toBe(value);
      },
    );

    it('dissoc of a stored key emits true; afterwards exists is false and get emits undefined', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1));
      expect(await run(store.dissoc('k'))).toBe(true);
      expect(await run(store.exists('k'))).toBe(false);
      expect(await run(store.get('k'))).toBeUndefined();
    });

    it('dissoc of a missing key emits false', async () => {
      expect(await run(ctx.store.dissoc('missing'))).toBe(false);
    });

    it('Date, Map, Set, BigInt, typed arrays, undefined in arrays and nested objects round-trip', async () => {
      const { store } = ctx;
      const value = {
        when: new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250)),
        map: new Map<unknown, unknown>([
          ['a', 1],
          [2, { b: [3] }],
        ]),
        set: new Set(['x', 'y', 3]),
        big: 12345678901234567890n,
        bytes: new Uint8Array([0, 1, 254, 255]),
        floats: new Float64Array([1.5, -0.25, 1e300]),
        holes: [1, undefined, 3],
        nested: { deep: { deeper: { list: [{ x: 'y' }, [null, true]] } } },
      };
      await run(store.assoc('rich', value));
      const back = (await run(store.get('rich'))) as typeof value;
      expect(back.when).toBeInstanceOf(Date);
      expect(back.when.getTime()).toBe(value.when.getTime());
      expect(back.map).toBeInstanceOf(Map);
      expect([...back.map]).toEqual([...value.map]);
      expect(back.set).toBeInstanceOf(Set);
      expect([...back.set]).toEqual([...value.set]);
      expect(back.big).toBe(value.big);
      expect(back.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(back.bytes)).toEqual([0, 1, 254, 255]);
      expect(back.floats).toBeInstanceOf(Float64Array);
      expect(Array.from(back.floats)).toEqual([1.5, -0.25, 1e300]);
      expect(back.holes).toHaveLength(3);
      expect(back.holes[1]).toBeUndefined();
      expect(back.holes).toStrictEqual([1, undefined, 3]);
      expect(back.nested).toEqual(value.nested);
    });
  });

  describe('keys compared by value', () => {
    it('{a:1,b:2} and {b:2,a:1} are the same key', async () => {
      const { store } = ctx;
      await run(store.assoc({ a: 1, b: 2 }, 'v'));
      expect(await run(store.get({ b: 2, a: 1 }))).toBe('v');
      expect(await run(store.exists({ b: 2, a: 1 }))).toBe(true);
    });

    eachIt<[string, Key, Key]>(
      it,
      [
        ['1 and "1"', 1, '1'],
        ['[1,2] and [1,"2"]', [1, 2], [1, '2']],
        ['{a:1} and {a:"1"}', { a: 1 }, { a: '1' }],
        ['["a"] and "a"', ['a'], 'a'],
      ],
      '%s are different keys',
      async (_label, one, other) => {
        const { store } = ctx;
        await run(store.assoc(one, 'one'));
        expect(await run(store.exists(other))).toBe(false);
        await run(store.assoc(other, 'other'));
        expect(await run(store.get(one))).toBe('one');
        expect(await run(store.get(other))).toBe('other');
      },
    );

    it('-0 and 0 are the same key', async () => {
      const { store } = ctx;
      await run(store.assoc(-0, 'zero'));
      expect(await run(store.get(0))).toBe('zero');
      expect(await run(store.get([0]))).toBeUndefined();
    });

    it('nested structured keys are read back by an equal, freshly built key', async () => {
      const { store } = ctx;
      await run(store.assoc({ user: ['alice', 7], scope: { k: 'x', j: [1, 2] } }, 'nested'));
      expect(await run(store.get({ scope: { j: [1, 2], k: 'x' }, user: ['alice', 7] }))).toBe('nested');
    });

    it('a key like ../../etc/passwd is just a key, stored under a 64-hex blob id', async () => {
      const { store } = ctx;
      await run(store.assoc('../../etc/passwd', 'not a path'));
      await run(store.assoc('a/b\\c:d', 'slashes'));
      expect(await run(store.get('../../etc/passwd'))).toBe('not a path');
      expect(await run(store.get('a/b\\c:d'))).toBe('slashes');
      const ids = await listIds(store.backing);
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(id).toMatch(USER_BLOB_ID);
    });

    it('a long key well under 16 KiB (15000 characters) is stored and read back', async () => {
      const { store } = ctx;
      const key = 'k'.repeat(15_000);
      await run(store.assoc(key, 'long'));
      expect(await run(store.get(key))).toBe('long');
    });
  });
}
