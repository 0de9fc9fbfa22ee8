/** `sweep`: garbage collection of old, unwanted keys and of orphaned internal blobs. */
import { Observable } from 'rxjs';
import { storeContext } from '../create-store';
import { closed, invalidArgument } from '../errors';
import { canonicalKey } from '../format/key';
import { listScope, ownsKeyId } from '../store/scope';
import type { Meta, Store } from '../store-api';
import type { StoreContext } from '../store/engine/context';
import { hasExpired } from '../store/expiry';
import { batchesOf } from './batches';
import { oldestOpenWrite } from './guard';
import { sweepKeys, type Collectable } from './sweep-keys';
import { isInternalBlobId, sweepOrphans } from './sweep-orphans';
import type { KeepKeys, SweepEvent, SweepOptions } from './types';

/** Default of {@link SweepOptions.batchSize}. */
export const DEFAULT_SWEEP_BATCH_SIZE = 100;

/**
 * Deletes every key that is not kept and was last written before `olderThan` (with
 * `expired: true`: every key that has expired, and nothing else), then the orphaned internal
 * blobs (append-log elements no log reaches). Works batch by batch over the backing's
 * listing; each batch re-reads every candidate's Meta under its write lock right before deleting,
 * so a key written after the cutoff is never deleted, even by a write racing the sweep. Stopping
 * (unsubscribing) midway leaves no batch half-done, and running the sweep again converges to the
 * result of one full run. A sweep covers the keys of the store's own scope (see `Store.scope`):
 * sweep a scope to collect it; sweeping a store leaves its scopes alone.
 * @param store - a Store made by `createStore` (or any `connectXStore`)
 * @param options - `keep`, `olderThan`, `expired`, `batchSize` and `orphans`
 * @returns a cold Observable emitting one {@link SweepEvent} per deletion (user keys first, then
 * orphans), then completing; errors with `ERR_INVALID_ARGUMENT` for bad options or a store not
 * made by core, `ERR_CLOSED` when the store is closed, `ERR_IO` when the backing fails
 * @example
 * ```ts
 * const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000);
 * sweep(store, { keep: ['config', 'users'], olderThan: weekAgo })
 *   .pipe(filter((e) => e.type === 'key'), count())
 *   .subscribe((n) => console.log(`deleted ${n} keys`));
 * ```
 */
export function sweep(store: Store, options: SweepOptions = {}): Observable<SweepEvent> {
  return new Observable<SweepEvent>((subscriber) => {
    let plan: ReturnType<typeof prepare>;
    try {
      plan = prepare(store, options);
    } catch (e) {
      return subscriber.error(e);
    }
    const { ctx, collectable, batchSize, orphans } = plan;
    let stopped = false;
    let count = 0;
    const list = () => listScope(ctx);
    (async () => {
      for await (const batch of batchesOf(list, batchSize, (id) => ownsKeyId(ctx, id))) {
        if (stopped) return;
        for (const key of await sweepKeys(ctx, batch, collectable)) subscriber.next({ type: 'key', deleted: key, count: ++count });
      }
      if (!orphans) return subscriber.complete();
      for await (const batch of batchesOf(list, batchSize, (id) => isInternalBlobId(ctx, id))) {
        if (stopped) return;
        for (const id of await sweepOrphans(ctx, batch)) subscriber.next({ type: 'orphan', deleted: id, count: ++count });
      }
      subscriber.complete();
    })().catch((e: unknown) => subscriber.error(e));
    return () => {
      // the batch in flight finishes (it is one atomic step); no further batch starts
      stopped = true;
    };
  });
}

/**
 * The store's safe point, as a sweep's `olderThan`: its clock now, or the start of the oldest
 * {@link unreferencedWrites} sequence still open on it when that is earlier. Take it **before**
 * reading what the sweep must keep. A writer that stores a value and then the pointer to it
 * (konserve's gc safe point) may write the value after you read the pointers and before the sweep
 * starts; with this cutoff that value is younger than the cutoff, so the sweep keeps it. A value
 * written *before* you read the pointers, by a sequence that has not written its pointer yet, is
 * kept by the guard of that sequence (every sweep applies it itself).
 * @param store - a Store made by `createStore` (or any `connectXStore`)
 * @returns the safe point (the clock never goes backwards: later writes carry this time or later)
 * @example
 * ```ts
 * const point = safePoint(store);
 * const reachable = await reachableFrom(store, 'root'); // your own walk over the pointers
 * sweep(store, { keep: reachable, olderThan: point }).subscribe();
 * ```
 */
export function safePoint(store: Store): Date {
  const ctx = store !== null && typeof store === 'object' ? storeContext(store) : undefined;
  if (ctx === undefined) throw invalidArgument('safePoint takes a Store made by createStore or a connectXStore');
  const now = ctx.clock();
  const oldest = oldestOpenWrite(ctx);
  return oldest !== undefined && oldest < now.getTime() ? new Date(oldest) : now;
}

function prepare(store: Store, options: SweepOptions): { ctx: StoreContext; collectable: Collectable; batchSize: number; orphans: boolean } {
  const ctx = store !== null && typeof store === 'object' ? storeContext(store) : undefined;
  if (ctx === undefined) throw invalidArgument('sweep takes a Store made by createStore or a connectXStore');
  if (ctx.life.closed) throw closed('sweep');
  if (options === null || typeof options !== 'object') throw invalidArgument('sweep options must be an object');
  const batchSize = options.batchSize ?? DEFAULT_SWEEP_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw invalidArgument(`batchSize must be a positive integer, got ${String(batchSize)}`);
  const cutoff = options.olderThan ?? ctx.clock();
  if (!(cutoff instanceof Date) || Number.isNaN(cutoff.getTime())) throw invalidArgument('olderThan must be a valid Date');
  if (options.orphans !== undefined && typeof options.orphans !== 'boolean') throw invalidArgument('orphans must be a boolean');
  const orphans = options.orphans ?? true;
  if (options.expired !== undefined && typeof options.expired !== 'boolean') throw invalidArgument('expired must be a boolean');
  if (options.expired === true) {
    if (options.keep !== undefined || options.olderThan !== undefined)
      throw invalidArgument('sweep({ expired: true }) takes no keep or olderThan: it deletes only expired keys');
    return { ctx, collectable: (meta) => hasExpired(ctx, meta), batchSize, orphans };
  }
  const kept = keeper(options.keep);
  // the cutoff is read first, then the guard: a sequence that opened and closed in between has
  // written its pointer, which the caller's mark (made after) sees
  const before = Math.min(cutoff.getTime(), oldestOpenWrite(ctx) ?? Infinity);
  const collectable = (meta: Meta): boolean => meta.lastWrite instanceof Date && meta.lastWrite.getTime() < before && !kept(meta);
  return { ctx, collectable, batchSize, orphans };
}

function keeper(keep: KeepKeys | undefined): (meta: Meta) => boolean {
  if (keep === undefined) return () => false;
  if (typeof keep === 'function') return (meta) => keep(meta.key, meta) === true;
  if (keep === null || typeof keep !== 'object' || !(Symbol.iterator in keep))
    throw invalidArgument('keep must be an iterable of keys or a predicate (key, meta) => boolean');
  // keys compare by value, like everywhere in a Store: through their canonical encoding
  const wanted = new Set(Array.from(keep, (key) => canonicalKey(key)));
  return (meta) => wanted.has(canonicalKey(meta.key));
}
