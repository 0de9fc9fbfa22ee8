/**
 * `update(key, fn, ...args)`: emits `{ old, new }`, calls `fn(old, ...args)`, and leaves the old
 * value in place when `fn` throws (passing the user's own error through unchanged) or returns
 * something the serializer cannot encode.
 */
import type { ComplianceContext } from './context';
import { errorOf, failure, run } from './util';

/**
 * Registers the update tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function updateTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('update', () => {
    it('update emits {old, new} and stores new', async () => {
      const { store } = ctx;
      await run(store.assoc('n', 1));
      expect(await run(store.update('n', (n) => (n as number) + 1))).toEqual({ old: 1, new: 2 });
      expect(await run(store.get('n'))).toBe(2);
    });

    it('update of a missing key calls fn with undefined and emits old undefined', async () => {
      const { store } = ctx;
      const seen: unknown[] = [];
      const change = await run(
        store.update('n', (old) => {
          seen.push(old);
          return 'created';
        }),
      );
      expect(seen).toEqual([undefined]);
      expect(change.old).toBeUndefined();
      expect(change.new).toBe('created');
      expect(await run(store.get('n'))).toBe('created');
    });

    it('update passes the extra arguments to fn after the old value', async () => {
      const { store } = ctx;
      await run(store.assoc('n', 10));
      const change = await run(store.update('n', (old, a: number, b: string) => `${String(old)}-${a}-${b}`, 5, 'x'));
      expect(change).toEqual({ old: 10, new: '10-5-x' });
    });

    it('update may store a falsy result (0, null, false, "")', async () => {
      const { store } = ctx;
      for (const v of [0, null, false, '']) {
        await run(store.update('f', () => v));
        expect(await run(store.exists('f'))).toBe(true);
        expect(await run(store.get('f', 'nf'))).toBe(v);
      }
    });

    it('a throwing fn errors update with that same error and keeps the old value', async () => {
      const { store } = ctx;
      await run(store.assoc('n', 1));
      class DomainError extends Error {}
      const thrown = new DomainError('nope');
      const err = await failure(
        store.update('n', () => {
          throw thrown;
        }),
      );
      expect(err).toBe(thrown);
      expect(await run(store.get('n'))).toBe(1);
    });

    it('a throwing fn on a missing key leaves the key missing', async () => {
      const { store } = ctx;
      const thrown = new Error('nope');
      expect(
        await failure(
          store.update('n', () => {
            throw thrown;
          }),
        ),
      ).toBe(thrown);
      expect(await run(store.exists('n'))).toBe(false);
    });

    it('an fn returning a function errors with ERR_NOT_SERIALIZABLE and keeps the old value', async () => {
      const { store } = ctx;
      await run(store.assoc('n', 1));
      const err = await errorOf(store.update('n', () => ({ f: () => 1 })));
      expect(err.code).toBe('ERR_NOT_SERIALIZABLE');
      expect(err.key).toBe('n');
      expect(await run(store.get('n'))).toBe(1);
    });

    it('update of a structured key addresses the key by value', async () => {
      const { store } = ctx;
      await run(store.assoc({ a: 1, b: [2] }, 1));
      expect(await run(store.update({ b: [2], a: 1 }, (n) => (n as number) + 1))).toEqual({ old: 1, new: 2 });
    });

    it('the store is usable for the same key after a failed update', async () => {
      const { store } = ctx;
      await run(store.assoc('n', 1));
      await failure(
        store.update('n', () => {
          throw new Error('x');
        }),
      );
      expect(await run(store.update('n', (n) => (n as number) + 1))).toEqual({ old: 1, new: 2 });
    });
  });
}
