/**
 * `keys()` past damaged entries: a blob with a damaged meta, a truncated one or bytes that were
 * never a blob never stop the listing of the others. Each such entry is reported (or skipped, or
 * made to fail the listing, as `onDamaged` says) with `ERR_CORRUPT` naming its blob id in `path`,
 * by which `store.backing.delete` removes it; a damaged key that the user knows `dissoc` removes.
 */
import type { BackingStore } from '../backing';
import type { KonserveError } from '../errors';
import type { KeysOptions, Store } from '../store-api';
import type { ComplianceContext } from './context';
import { addedBlobId, collect, errorOf, run } from './util';

/** Header bytes before the encoded Meta (docs/format.md). */
const HEADER_SIZE = 28;
const GOOD = ['good-1', 'good-2', 'good-3'];

/** Ways to damage a blob so that its header and meta cannot be read. */
const DAMAGE: Record<string, (bytes: Uint8Array) => Uint8Array> = {
  'a flipped meta byte': (b) => Uint8Array.from(b, (x, i) => (i === HEADER_SIZE ? x ^ 0xff : x)),
  'a cut inside the meta': (b) => b.slice(0, HEADER_SIZE + 2),
  'bytes that were never a blob': () => new TextEncoder().encode('not a konserve blob at all'),
};

/** Writes the good keys and one damaged key per kind of damage; returns the damaged blob ids. */
async function setup(store: Store): Promise<string[]> {
  const damaged: string[] = [];
  for (const [i, k] of GOOD.entries()) {
    await run(store.assoc(k, { i }, { meta: { note: 'fine' } }));
    const id = await addedBlobId(store, () => run(store.assoc(`victim-${i}`, { i })));
    await damage(store.backing, id, Object.values(DAMAGE)[i]!);
    damaged.push(id);
  }
  return damaged.sort();
}

async function damage(backing: BackingStore, id: string, how: (bytes: Uint8Array) => Uint8Array): Promise<void> {
  await backing.write(id, how((await backing.read(id))!));
}

/** The keys listed, sorted, and the errors reported on the way. */
async function listWithReports(store: Store): Promise<{ keys: unknown[]; reported: KonserveError[] }> {
  const reported: KonserveError[] = [];
  const metas = await collect(store.keys({ onDamaged: (e) => reported.push(e) }));
  return { keys: metas.map((m) => m.key).sort(), reported };
}

/**
 * Registers the tests of keys() over damaged entries.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function keysDamagedTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('keys() past damaged entries', () => {
    it('keys() lists every good key past a damaged meta, a cut meta and non-blob bytes, and completes (onDamaged defaults to skip)', async () => {
      const { store } = ctx;
      await setup(store);
      expect((await collect(store.keys())).map((m) => m.key).sort()).toEqual(GOOD);
    });

    it('keys({ onDamaged }) reports each damaged entry once as ERR_CORRUPT naming its blob id in path; backing.delete(path) removes it', async () => {
      const { store } = ctx;
      const damaged = await setup(store);
      const { keys, reported } = await listWithReports(store);
      expect(keys).toEqual(GOOD);
      expect(reported.map((e) => e.code)).toEqual(['ERR_CORRUPT', 'ERR_CORRUPT', 'ERR_CORRUPT']);
      expect(reported.map((e) => e.path).sort()).toEqual(damaged);
      for (const e of reported) await store.backing.delete(e.path!);
      expect(await listWithReports(store)).toEqual({ keys: GOOD, reported: [] });
    });

    it("keys({ onDamaged: 'fail' }) errors with ERR_CORRUPT naming the damaged blob id in path", async () => {
      const { store } = ctx;
      await run(store.assoc('good', 1));
      const id = await addedBlobId(store, () => run(store.assoc('victim', 2)));
      await damage(store.backing, id, DAMAGE['a flipped meta byte']!);
      const err = await errorOf(store.keys({ onDamaged: 'fail' }));
      expect([err.code, err.path]).toEqual(['ERR_CORRUPT', id]);
    });

    it('a damaged key the user knows: getMeta errors with ERR_CORRUPT naming it, dissoc removes it, keys() is clean', async () => {
      const { store } = ctx;
      await run(store.assoc('good', 1));
      const id = await addedBlobId(store, () => run(store.assoc({ doc: 'victim' }, 2)));
      await damage(store.backing, id, DAMAGE['a flipped meta byte']!);
      expect(await errorOf(store.getMeta({ doc: 'victim' }))).toMatchObject({ code: 'ERR_CORRUPT', key: { doc: 'victim' } });
      expect(await run(store.dissoc({ doc: 'victim' }))).toBe(true);
      expect(await listWithReports(store)).toEqual({ keys: ['good'], reported: [] });
    });

    it('keys() with an onDamaged that is not skip, fail or a function errors with ERR_INVALID_ARGUMENT', async () => {
      const bad = { onDamaged: 'ignore' } as unknown as KeysOptions;
      expect((await errorOf(ctx.store.keys(bad))).code).toBe('ERR_INVALID_ARGUMENT');
    });
  });
}
