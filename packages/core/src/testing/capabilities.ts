/**
 * Capability-dependent behaviour. With `capabilities.syncResults`, an uncontended operation
 * emits (and single results complete) before `subscribe` returns. With `capabilities.atomicMulti`,
 * the backing has the `writeBatch` core relies on, and one batch of writes and deletes lands whole.
 */
import type { Observable } from 'rxjs';
import type { Store } from '../store-api';
import type { ComplianceContext } from './context';
import { eachIt } from './harness';
import { run } from './util';

/** Subscribes and reports what arrived before `subscribe` returned. */
function syncResult<T>(obs: Observable<T>): { values: T[]; completed: boolean; error: unknown } {
  const out = { values: [] as T[], completed: false, error: undefined as unknown };
  obs.subscribe({ next: (v) => void out.values.push(v), error: (e) => (out.error = e), complete: () => (out.completed = true) }).unsubscribe();
  return out;
}

/** Each operation, and what it emits; `like` makes a partial match (the harness's `expect.objectContaining`). */
const opsOf = (like: (fields: object) => unknown): [string, (s: Store) => Observable<unknown>, unknown][] => [
  ['get', (s) => s.get('k'), { v: 1 }],
  ['get of a missing key', (s) => s.get('missing', 'nf'), 'nf'],
  ['exists', (s) => s.exists('k'), true],
  ['getMeta', (s) => s.getMeta('k'), like({ key: 'k', type: 'value' })],
  ['assoc', (s) => s.assoc('other', 2), like({ key: 'other', type: 'value' })],
  ['update', (s) => s.update('k', () => 'u'), { old: { v: 1 }, new: 'u' }],
  ['dissoc', (s) => s.dissoc('k'), true],
  ['multiGet', (s) => s.multiGet(['k']), new Map([['k', { v: 1 }]])],
];

/**
 * Registers the capability-dependent tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function capabilityTests(ctx: ComplianceContext): void {
  const { it, expect } = ctx.harness;
  ctx.whenCapable('syncResults', 'sync results', () => {
    eachIt(it, opsOf(expect.objectContaining), '%s emits and completes before subscribe returns', async (_label, op, expected) => {
      if (!ctx.has('syncResults')) return;
      await run(ctx.store.assoc('k', { v: 1 }));
      const got = syncResult(op(ctx.store));
      expect(got.error).toBeUndefined();
      expect(got.values).toEqual([expected]);
      expect(got.completed).toBe(true);
    });

    it('store.get(k).subscribe(v => got = v) has set got when subscribe returns', async () => {
      if (!ctx.has('syncResults')) return;
      await run(ctx.store.assoc('k', 'now'));
      let got: unknown = 'unset';
      ctx.store.get('k').subscribe((v) => (got = v));
      expect(got).toBe('now');
    });

    it('keys() emits every key and completes before subscribe returns', async () => {
      if (!ctx.has('syncResults')) return;
      await run(
        ctx.store.multiAssoc([
          ['a', 1],
          ['b', 2],
        ]),
      );
      const got = syncResult(ctx.store.keys());
      expect(got.values.map((m) => (m as { key: unknown }).key).sort()).toEqual(['a', 'b']);
      expect(got.completed).toBe(true);
    });
  });

  ctx.whenCapable('atomicMulti', 'atomic multi', () => {
    it('offers writeBatch, and multiAssoc over existing and new keys commits every entry', async () => {
      if (!ctx.has('atomicMulti')) return;
      expect(typeof ctx.store.backing.writeBatch).toBe('function');
      await run(ctx.store.assoc('old', 0));
      await run(
        ctx.store.multiAssoc([
          ['old', 1],
          ['new', 2],
        ]),
      );
      expect(await run(ctx.store.multiGet(['old', 'new']))).toEqual(
        new Map([
          ['old', 1],
          ['new', 2],
        ]),
      );
    });

    it('applies one writeBatch of writes and deletes as a whole: every write present, every delete gone', async () => {
      if (!ctx.has('atomicMulti')) return;
      const backing = ctx.store.backing;
      // blob ids of the shape core uses (64 hex digits), which every backing accepts
      const [a, gone, b] = ['a', 'b', 'c'].map((c) => c.repeat(64)) as [string, string, string];
      await backing.write(gone, new Uint8Array([1]));
      await backing.writeBatch!([
        [a, new Uint8Array([2])],
        [gone, null],
        [b, new Uint8Array([3, 4])],
      ]);
      expect([await backing.read(a), await backing.read(b), await backing.has(gone)]).toEqual([new Uint8Array([2]), new Uint8Array([3, 4]), false]);
    });
  });
}
