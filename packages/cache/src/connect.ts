/** The convenience factories: a Store over a cached backing, and one over a tiered backing. */
import { checkOptions, connectBacking, createStore, fromMaybe, pickOptions, STORE_OPTIONS, type BackingStore, type Store } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { EMPTY, Observable, concat, defer, from, ignoreElements, mergeMap, of } from 'rxjs';
import { cachedBacking } from './cached-backing';
import { positiveInteger } from './internal/options';
import {
  CACHED_BACKING_OPTIONS,
  CACHED_STORE_OPTIONS,
  TIERED_BACKING_OPTIONS,
  TIERED_STORE_OPTIONS,
  type CachedStoreOptions,
  type TieredStoreOptions,
} from './options';
import { tieredBacking } from './tiered-backing';

/**
 * Connects a Store whose reads are served from an LRU cache in front of `options.inner`;
 * `store.backing` is the {@link CachedBacking}, with its `stats()`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (as an error notification).
 * @param options - the inner backing, the cache bounds and core's store options
 * @returns a cold Observable emitting the Store once (synchronously on subscribe), then
 * completing; errors with `ERR_INVALID_ARGUMENT` for a bad bound or inner backing
 * @example
 * ```ts
 * connectCachedStore({ inner: fileBacking({ path: './data' }), maxEntries: 1000 })
 *   .pipe(switchMap((store) => store.get('user/1')))
 *   .subscribe(console.log);
 * ```
 */
export function connectCachedStore<V = unknown>(options: CachedStoreOptions = {}): Observable<Store<V>> {
  return connectBacking<V>('connectCachedStore', options, CACHED_STORE_OPTIONS, () =>
    cachedBacking(options.inner ?? memoryBacking(), pickOptions(options, CACHED_BACKING_OPTIONS)),
  );
}

/**
 * Connects a Store over a fast front and a durable back; unless `sync: false`, every blob of the
 * back is first copied into the front, streamed (`syncConcurrency` blobs at a time), so reads
 * never miss. `store.backing` is the {@link TieredBacking}, with `flush()` and `errors$`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (as an error notification).
 * @param options - `back` (required), `front`, `policy`, sync settings and core's store options
 * @returns a cold Observable emitting the Store once the front is filled, then completing; errors
 * with `ERR_INVALID_ARGUMENT` for bad options, or with the back's error when the sync fails
 * @example
 * ```ts
 * connectTieredStore({ back: fileBacking({ path: './data' }), policy: 'write-behind' })
 *   .pipe(switchMap((store) => store.get('user/1')))
 *   .subscribe(console.log);
 * ```
 */
export function connectTieredStore<V = unknown>(options: TieredStoreOptions): Observable<Store<V>> {
  return defer(() => {
    checkOptions('connectTieredStore', options, TIERED_STORE_OPTIONS);
    const front = options?.front ?? memoryBacking();
    const backing = tieredBacking(front, options?.back, pickOptions(options, TIERED_BACKING_OPTIONS));
    const concurrency = positiveInteger('syncConcurrency', options.syncConcurrency, 16);
    const fill = options.sync === false ? EMPTY : copyBlobs(backing.back, front, concurrency);
    return concat(
      fill.pipe(ignoreElements()),
      defer(() => of(createStore<V>(backing, pickOptions(options, STORE_OPTIONS)))),
    );
  });
}

/**
 * Copies every blob of `from` into `to`, `concurrency` at a time.
 * @returns an Observable emitting each copied blob id, then completing
 */
function copyBlobs(source: BackingStore, target: BackingStore, concurrency: number): Observable<string> {
  return from(source.list()).pipe(
    mergeMap(
      (id) =>
        fromMaybe(source.read(id)).pipe(mergeMap((bytes) => (bytes === undefined ? EMPTY : fromMaybe(target.write(id, bytes)).pipe(mergeMap(() => of(id)))))),
      concurrency,
    ),
  );
}
