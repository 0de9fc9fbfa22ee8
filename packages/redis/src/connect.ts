/** `connectRedisStore`: a Store over Redis, connected before it is emitted. */
import type { Observable } from 'rxjs';
import { connectBacking, optionNames, pickOptions, STORE_OPTIONS, type Store, type StoreOptions } from '@konserve-rx/core';
import { REDIS_BACKING_OPTIONS, type RedisBackingOptions } from './options';
import { redisBacking } from './redis-backing';

/** The name the Redis backend registers for `connectStore({ backend: 'redis' })`. */
export const REDIS_BACKEND_NAME = 'redis';

/** Options of {@link connectRedisStore}: the backing's and the Store's. */
export interface RedisStoreOptions extends RedisBackingOptions, StoreOptions {}

const REDIS_STORE_OPTIONS = optionNames<object>({}, REDIS_BACKING_OPTIONS, STORE_OPTIONS);

/**
 * Connects a store on a Redis server: connects, subscribes to the change channel, then emits the
 * Store and completes. Errors with `ERR_IO` (the connection error as cause) when the server cannot
 * be reached. Unsubscribing before the store is emitted closes the connection.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (as an error notification).
 * @param options - url or client, prefix, locks, timeouts, and Store options (serializer, ...)
 * @returns an Observable emitting the connected Store, then completing
 * @example
 * ```ts
 * connectRedisStore<number>({ url: 'redis://127.0.0.1:6379', prefix: 'app:' })
 *   .pipe(switchMap((store) => store.update('visits', (n = 0) => n + 1)))
 *   .subscribe(console.log);
 * ```
 */
export function connectRedisStore<V = unknown>(options: RedisStoreOptions = {}): Observable<Store<V>> {
  return connectBacking<V>('connectRedisStore', options, REDIS_STORE_OPTIONS, () => redisBacking(pickOptions(options, REDIS_BACKING_OPTIONS)));
}
