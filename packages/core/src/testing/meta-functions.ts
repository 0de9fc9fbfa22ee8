/**
 * Meta functions (konserve's meta-up-fn) on `update`, `updateIn` and `assocIn`: the function gets
 * the key's Meta before the write (`undefined` when missing) and returns its new user metadata;
 * built fields still win; a bad function or result fails the write with `ERR_INVALID_ARGUMENT`
 * and nothing is written.
 */
import type { Meta, UserMeta } from '../store-api';
import type { ComplianceContext } from './context';
import { errorOf, failure, run } from './util';

/**
 * Registers the meta function tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function metaFunctionTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  const inc = (n: number | undefined): number => (n ?? 0) + 1;
  // counts writes in user metadata, as a sync workflow marks versions
  const countEdits = (old: Meta | undefined): UserMeta => ({ edits: ((old?.['edits'] as number | undefined) ?? 0) + 1, tag: 'kept' });

  describe('meta functions', () => {
    it('update with { fn, meta } stores what meta makes of the old Meta, under the lock', async () => {
      const { store } = ctx;
      const seen: Array<Meta | undefined> = [];
      const meta = (old: Meta | undefined): UserMeta => {
        seen.push(old);
        return countEdits(old);
      };
      await run(store.update('n', { fn: inc, meta }));
      await Promise.all([1, 2, 3].map(() => run(store.update('n', { fn: inc, meta }))));
      expect(await run(store.get('n'))).toBe(4);
      expect(await run(store.getMeta('n'))).toMatchObject({ key: 'n', type: 'value', edits: 4, tag: 'kept' });
      expect(seen[0]).toBeUndefined();
      expect(seen[1]).toMatchObject({ key: 'n', type: 'value', edits: 1 });
      expect(seen[1]?.lastWrite).toBeInstanceOf(Date);
    });

    it('update passes its extra arguments to fn when given a spec', async () => {
      const { store } = ctx;
      await run(store.update('sum', { fn: (old: number | undefined, a: number, b: number) => (old ?? 0) + a + b, meta: () => ({ m: 1 }) }, 2, 3));
      expect(await run(store.get('sum'))).toBe(5);
      expect((await run(store.getMeta('sum')))?.['m']).toBe(1);
    });

    it('updateIn and assocIn take a meta function too; built fields win over what it returns', async () => {
      const { store } = ctx;
      await run(store.assoc('doc', { a: { b: 1 } }, { meta: { owner: 'me' } }));
      await run(store.updateIn(['doc', 'a', 'b'], { fn: inc, meta: (old) => ({ ...old, key: 'forged', type: 'binary', edits: 1 }) }));
      const afterUpdateIn = await run(store.getMeta('doc'));
      expect(afterUpdateIn).toMatchObject({ key: 'doc', type: 'value', owner: 'me', edits: 1 });
      await run(store.assocIn(['doc', 'a', 'c'], 'x', { meta: countEdits }));
      expect(await run(store.get('doc'))).toEqual({ a: { b: 2, c: 'x' } });
      const afterAssocIn = await run(store.getMeta('doc'));
      expect(afterAssocIn).toMatchObject({ edits: 2, tag: 'kept' });
      expect(afterAssocIn?.['owner']).toBeUndefined();
    });

    it('a meta function returning undefined removes the user metadata; without one it is kept', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1, { meta: { owner: 'me' } }));
      await run(store.update('k', inc));
      expect((await run(store.getMeta('k')))?.['owner']).toBe('me');
      await run(store.update('k', { fn: inc, meta: () => undefined }));
      const meta = await run(store.getMeta('k'));
      expect(Object.keys(meta ?? {}).sort()).toEqual(['key', 'lastWrite', 'type']);
    });

    it('a bad meta function or result fails with ERR_INVALID_ARGUMENT and writes nothing', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1, { meta: { owner: 'me' } }));
      const bad = [
        store.update('k', { fn: inc, meta: 'no' as never }),
        store.update('k', { fn: 'no' as never }),
        store.update('k', { fn: inc, unknown: 1 } as never),
        store.update('k', { fn: inc, meta: () => 7 as never }),
        store.update('k', { fn: inc, meta: () => Promise.resolve({}) as never }),
        store.assocIn(['k'], 2, { meta: () => [] as never }),
        store.updateIn(['k'], { fn: inc, meta: () => null as never }),
      ];
      for (const op of bad) expect((await errorOf(op)).code).toBe('ERR_INVALID_ARGUMENT');
      const thrown = await failure(
        store.update('k', {
          fn: inc,
          meta: () => {
            throw new Error('refused');
          },
        }),
      );
      expect((thrown as Error).message).toBe('refused');
      expect(await run(store.get('k'))).toBe(1);
      expect((await run(store.getMeta('k')))?.['owner']).toBe('me');
    });
  });
}
