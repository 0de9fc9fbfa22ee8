/**
 * Metadata: what `assoc` and `getMeta` emit, built fields winning over user fields, a
 * `lastWrite` that never goes backwards, `type` following the latest write, and user metadata
 * surviving `update`, `updateIn` and `assocIn`.
 */
import type { Key, Meta, UserMeta } from '../store-api';
import type { ComplianceContext } from './context';
import { run } from './util';

/**
 * Registers the metadata tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function metaTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('metadata', () => {
    it('assoc emits Meta with key, type "value", a Date lastWrite and the user fields', async () => {
      const meta = await run(ctx.store.assoc('k', 1, { meta: { owner: 'me', tags: ['a'] } }));
      expect(meta).toMatchObject({ key: 'k', type: 'value', owner: 'me', tags: ['a'] });
      expect(meta.lastWrite).toBeInstanceOf(Date);
      expect(Number.isNaN(meta.lastWrite.getTime())).toBe(false);
    });

    it('built fields win over user fields of the same name', async () => {
      const meta = await run(ctx.store.assoc({ id: 7 }, 1, { meta: { type: 'x', key: 'y', lastWrite: 0, owner: 'me' } }));
      expect(meta.type).toBe('value');
      expect(meta.key).toEqual({ id: 7 });
      expect(meta.lastWrite).toBeInstanceOf(Date);
      expect(meta['owner']).toBe('me');
    });

    it('getMeta emits the Meta that assoc emitted', async () => {
      const { store } = ctx;
      const written = await run(store.assoc('k', { big: 'x'.repeat(100) }, { meta: { owner: 'me' } }));
      const read = await run(store.getMeta('k'));
      expect(read).toEqual(written);
      expect(read?.lastWrite).toBeInstanceOf(Date);
    });

    it('getMeta of a missing key emits undefined', async () => {
      expect(await run(ctx.store.getMeta('missing'))).toBeUndefined();
    });

    it('getMeta of a structured key reports the key by value', async () => {
      const { store } = ctx;
      await run(store.assoc({ b: [1, 'x'], a: 'z' }, 1));
      expect((await run(store.getMeta({ a: 'z', b: [1, 'x'] })))?.key).toEqual({ a: 'z', b: [1, 'x'] });
    });

    it('lastWrite never decreases across successive writes', async () => {
      const { store } = ctx;
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const key = i % 2 === 0 ? 'same' : `other-${i}`;
        times.push((await run(store.assoc(key, i))).lastWrite.getTime());
      }
      await run(store.update('same', (n) => (n as number) + 1));
      times.push((await run(store.getMeta('same')))!.lastWrite.getTime());
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    });

    it('type follows the latest write: value, then binary after bassoc, then value again', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 'text'));
      expect((await run(store.getMeta('k')))?.type).toBe('value');
      expect((await run(store.bassoc('k', new Uint8Array([1, 2])))).type).toBe('binary');
      expect((await run(store.getMeta('k')))?.type).toBe('binary');
      await run(store.assoc('k', 'text again'));
      expect((await run(store.getMeta('k')))?.type).toBe('value');
    });

    it('append to a new key gives type "append-log"', async () => {
      const { store } = ctx;
      await run(store.append('log', 1));
      expect((await run(store.getMeta('log')))?.type).toBe('append-log');
    });

    it('update keeps the existing user metadata', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 1, { meta: { owner: 'me' } }));
      await run(store.update('k', (n) => (n as number) + 1));
      expect(await run(store.getMeta('k'))).toMatchObject({ key: 'k', type: 'value', owner: 'me' });
    });

    it('assocIn and updateIn keep the existing user metadata', async () => {
      const { store } = ctx;
      await run(store.assoc('k', { a: { b: 1 } }, { meta: { owner: 'me' } }));
      await run(store.assocIn(['k', 'a', 'c'], 2));
      expect(await run(store.getMeta('k'))).toMatchObject({ type: 'value', owner: 'me' });
      await run(store.updateIn(['k', 'a', 'b'], (n) => (n as number) + 1));
      expect(await run(store.getMeta('k'))).toMatchObject({ type: 'value', owner: 'me' });
      expect(await run(store.get('k'))).toEqual({ a: { b: 2, c: 2 } });
    });

    it('the Meta of update is visible through getMeta with a later or equal lastWrite', async () => {
      const { store } = ctx;
      const first: Meta = await run(store.assoc('k', 1));
      await run(store.update('k', (n) => (n as number) + 1));
      const after = await run(store.getMeta('k'));
      expect(after?.lastWrite.getTime()).toBeGreaterThanOrEqual(first.lastWrite.getTime());
    });

    it('multiAssoc takes per-key metadata: one object for all, a Map by key (compared by value), or a function of the key', async () => {
      const { store } = ctx;
      await run(
        store.multiAssoc(
          [
            ['a', 1],
            ['b', 2],
          ],
          { meta: { batch: 7 } },
        ),
      );
      await run(
        store.multiAssoc(
          [
            [{ id: 1 }, 'x'],
            ['c', 3],
          ],
          { meta: new Map<Key, UserMeta>([[{ id: 1 }, { tag: 'one' }]]) },
        ),
      );
      await run(
        store.multiAssoc(
          [
            ['d', 4],
            ['e', 5],
          ],
          { meta: (key) => ({ from: `fn:${String(key)}` }) },
        ),
      );
      expect(await run(store.getMeta('a'))).toMatchObject({ key: 'a', type: 'value', batch: 7 });
      expect(await run(store.getMeta('b'))).toMatchObject({ batch: 7 });
      expect(await run(store.getMeta({ id: 1 }))).toMatchObject({ tag: 'one' });
      expect(Object.keys((await run(store.getMeta('c')))!).sort()).toEqual(['key', 'lastWrite', 'type']);
      expect(await run(store.getMeta('e'))).toMatchObject({ from: 'fn:e' });
    });

    it('multiAssoc metadata never overrides the built fields', async () => {
      const { store } = ctx;
      await run(store.multiAssoc([['k', 1]], { meta: { key: 'forged', type: 'binary', owner: 'me' } }));
      expect(await run(store.getMeta('k'))).toMatchObject({ key: 'k', type: 'value', owner: 'me' });
    });
  });
}
