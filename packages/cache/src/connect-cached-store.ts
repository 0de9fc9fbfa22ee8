/** The convenience factory: a Store over a cached backing. */
import { checkOptions, createStore, pickOptions, STORE_OPTIONS, type Store } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { Observable } from 'rxjs';
import { cachedBacking } from './cached-backing';
import { CACHED_BACKING_OPTIONS, CACHED_STORE_OPTIONS, type CachedStoreOptions } from './options';

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
  return new Observable<Store<V>>((subscriber) => {
    let store: Store<V>;
    try {
      checkOptions('connectCachedStore', options, CACHED_STORE_OPTIONS);
      store = createStore<V>(
        cachedBacking(options.inner ?? memoryBacking(), pickOptions(options, CACHED_BACKING_OPTIONS)),
        pickOptions(options, STORE_OPTIONS),
      );
    } catch (e) {
      return subscriber.error(e);
    }
    subscriber.next(store);
    subscriber.complete();
  });
}
