/** The convenience factory: a Store over a latency backing (over memory unless told otherwise). */
import { connectBacking, pickOptions, type Store } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import type { Observable } from 'rxjs';
import { latencyBacking } from './latency-backing';
import { LATENCY_BACKING_OPTIONS, LATENCY_STORE_OPTIONS, type LatencyStoreOptions } from './options';

/**
 * Opens a Store whose backing answers after sampled delays; `store.backing` is the
 * `LatencyBacking`, with its `stats$` and `summary()`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (as an error notification).
 * @param options - latency, seed, failures and scheduler; the Store options; `inner` to wrap another backing
 * @returns a cold Observable that emits the Store once and completes; it errors with
 *   `ERR_INVALID_ARGUMENT` when a latency or failure option is out of range
 * @example
 * ```ts
 * connectLatencyStore({ latency: { distribution: 'lognormal', median: 2, p99: 20 }, seed: 7 })
 *   .pipe(switchMap((store) => store.assoc('greeting', 'hello')))
 *   .subscribe((meta) => console.log(meta.lastWrite));
 * ```
 */
export function connectLatencyStore(options: LatencyStoreOptions = {}): Observable<Store> {
  return connectBacking('connectLatencyStore', options, LATENCY_STORE_OPTIONS, () =>
    latencyBacking(options.inner ?? memoryBacking(), pickOptions(options, LATENCY_BACKING_OPTIONS)),
  );
}
