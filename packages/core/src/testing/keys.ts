/**
 * `keys()`: streams one `Meta` per stored key (values, binaries and logs), with structured keys
 * given back by value, then completes; an empty store completes with nothing. Order is free,
 * so results are compared after sorting by an order-independent key text.
 */
import type { Key, Meta } from '../store-api';
import type { ComplianceContext } from './context';
import { collect, keyText, run } from './util';

const byKey = (metas: Meta[]) => [...metas].sort((a, b) => (keyText(a.key) < keyText(b.key) ? -1 : 1));

/**
 * Registers the keys() listing tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function keysTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('keys()', () => {
    it('keys() of an empty store completes without emitting', async () => {
      expect(await collect(ctx.store.keys())).toEqual([]);
    });

    it('keys() emits one Meta per value, binary and log key, then completes', async () => {
      const { store } = ctx;
      await run(store.assoc('value', { a: 1 }));
      await run(store.bassoc('binary', new Uint8Array([1, 2, 3])));
      await run(store.append('log', 'x'));
      await run(store.append('log', 'y'));
      const metas = byKey(await collect(store.keys()));
      expect(metas.map((m) => [m.key, m.type])).toEqual([
        ['binary', 'binary'],
        ['log', 'append-log'],
        ['value', 'value'],
      ]);
      for (const m of metas) expect(m.lastWrite).toBeInstanceOf(Date);
    });

    it('keys() gives structured keys back by value', async () => {
      const { store } = ctx;
      const written: Key[] = [{ b: 2, a: 1 }, [1, 'x', [2]], { nested: { list: [1, { z: 'q' }] } }, 42, 'plain'];
      for (const k of written) await run(store.assoc(k, 'v'));
      const listed = (await collect(store.keys())).map((m) => m.key);
      expect(listed).toHaveLength(written.length);
      for (const k of written) expect(listed).toContainEqual(k);
      expect(listed.filter((k) => typeof k === 'number')).toEqual([42]);
    });

    it('keys() reports the same Meta as getMeta, user fields included', async () => {
      const { store } = ctx;
      await run(store.assoc('a', 1, { meta: { owner: 'me' } }));
      await run(store.assoc({ id: 2 }, 2, { meta: { owner: 'you', n: 3 } }));
      for (const m of await collect(store.keys())) {
        expect(m).toEqual(await run(store.getMeta(m.key)));
      }
    });

    it('keys() no longer lists a dissoc-ed key and lists an overwritten key once', async () => {
      const { store } = ctx;
      await run(store.assoc('keep', 1));
      await run(store.assoc('keep', 2));
      await run(store.assoc('drop', 1));
      await run(store.dissoc('drop'));
      expect((await collect(store.keys())).map((m) => m.key)).toEqual(['keep']);
    });

    it('keys() lists the keys of multiAssoc and reflects type changes', async () => {
      const { store } = ctx;
      await run(
        store.multiAssoc([
          ['x', 1],
          ['y', 2],
        ]),
      );
      await run(store.bassoc('x', 'now binary'));
      const metas = byKey(await collect(store.keys()));
      expect(metas.map((m) => [m.key, m.type])).toEqual([
        ['x', 'binary'],
        ['y', 'value'],
      ]);
    });

    it('keys() can be subscribed again and lists the same keys', async () => {
      const { store } = ctx;
      await run(store.multiAssoc({ a: 1, b: 2, c: 3 }));
      const keys$ = store.keys();
      const first = byKey(await collect(keys$)).map((m) => m.key);
      const second = byKey(await collect(keys$)).map((m) => m.key);
      expect(first).toEqual(['a', 'b', 'c']);
      expect(second).toEqual(first);
    });
  });
}
