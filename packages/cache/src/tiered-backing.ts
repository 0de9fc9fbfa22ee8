/**
 * The tiered backing: a fast front (memory) over a durable back (files), written through or
 * behind, read through with whole-blob population of the front.
 */
import { checkOptions, invalidArgument, mapMaybe, type BackingStore, type MaybePromise } from '@konserve-rx/core';
import { Subject, asyncScheduler, of } from 'rxjs';
import { flusher, type Pending } from './internal/flusher';
import { milliseconds, requireBacking } from './internal/options';
import { readTickets } from './internal/read-tickets';
import { tierReads } from './internal/tier-reads';
import { writeBehind } from './internal/write-behind';
import { writeThrough } from './internal/write-through';
import { TIERED_BACKING_OPTIONS, type TieredBacking, type TieredBackingOptions, type TieredPolicy } from './options';

const POLICIES: readonly TieredPolicy[] = ['write-through', 'write-behind'];

/**
 * Layers a fast `front` over a durable `back`. Reads ask the front, and on a miss copy the whole
 * blob from the back into it. The tiered backing must be the only writer of `back`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param front - the fast layer, a cache of the back (e.g. `memoryBacking()`, or a `cachedBacking` to bound it)
 * @param back - the durable layer (e.g. `fileBacking({ path })`)
 * @param options - the write `policy` and, for write-behind, flush timing
 * @returns a {@link TieredBacking}: write-through is as durable as the back; write-behind answers
 * as fast as the front and exposes `flush()`, `pending()` and `errors$`. Errors with
 * `ERR_INVALID_ARGUMENT` (thrown at once) for an unknown policy or a bad option.
 * @example
 * ```ts
 * const backing = tieredBacking(memoryBacking(), fileBacking({ path: './data' }), { policy: 'write-behind' });
 * const store = createStore(backing);
 * // before exiting: await lastValueFrom(backing.flush());
 * ```
 */
export function tieredBacking(front: BackingStore, back: BackingStore, options: TieredBackingOptions = {}): TieredBacking {
  requireBacking('tieredBacking front', front);
  requireBacking('tieredBacking back', back);
  checkOptions('tieredBacking', options, TIERED_BACKING_OPTIONS);
  const policy = options.policy ?? 'write-through';
  if (!POLICIES.includes(policy)) throw invalidArgument(`policy must be one of ${POLICIES.join(', ')}, got ${String(policy)}`);
  const timing = {
    flushDelayMs: milliseconds('flushDelayMs', options.flushDelayMs, 0),
    retryDelayMs: milliseconds('retryDelayMs', options.retryDelayMs, 100),
    maxRetryDelayMs: milliseconds('maxRetryDelayMs', options.maxRetryDelayMs, 10_000),
    scheduler: options.scheduler ?? asyncScheduler,
  };
  const tickets = readTickets();
  const reads = tierReads(front, back, tickets);
  const sync = front.capabilities.syncResults && back.capabilities.syncResults;
  const closeLayers = (): MaybePromise<void> => mapMaybe(front.close?.(), () => back.close?.());
  if (policy === 'write-through') {
    const errors = new Subject<never>();
    return {
      front,
      back,
      policy,
      // the front is a copy of part of the back, kept by this process only: no cross-process locking
      capabilities: {
        syncResults: sync,
        atomicMulti: back.capabilities.atomicMulti && back.writeBatch !== undefined,
        durable: back.capabilities.durable,
        multiProcess: false,
      },
      ...reads,
      ...writeThrough(front, back, tickets),
      list: () => back.list(),
      flush: () => of(undefined),
      errors$: errors.asObservable(),
      pending: () => 0,
      close: () => mapMaybe(closeLayers(), () => errors.complete()),
    };
  }
  const dirty = new Map<string, Pending>();
  const background = flusher(dirty, back, timing);
  return {
    front,
    back,
    policy,
    // a completed write may exist only in memory until flushed: not durable, batches not atomic in the back
    capabilities: { syncResults: sync, atomicMulti: false, durable: false, multiProcess: false },
    ...writeBehind(front, back, dirty, tickets, reads, background.schedule),
    flush: background.flush,
    errors$: background.errors$,
    pending: () => dirty.size,
    close: () => background.close().then(closeLayers),
  };
}
