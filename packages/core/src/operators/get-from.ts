/** `getFrom`: reads the value of each incoming key. */
import type { OperatorFunction } from 'rxjs';
import type { StoreKey, StoreValue } from '../schema';
import type { Key, Store } from '../store-api';
import { concurrentMap, keyed } from './internal/concurrent-map';
import type { Keyed, OperatorOptions, PlainOptions, WithKeyOptions } from './options';

/**
 * Reads the value of each incoming key from `store`, like `store.get(key)` for every key, with
 * at most `concurrency` reads at once.
 * @param store - the store to read
 * @param options - `concurrency` (default 16), `ordered` (default `true`: results in input
 *   order), `withKey` (default `false`: emit `[key, value]` pairs when `true`)
 * @returns an operator emitting one value per key (`undefined` for a missing key), or one
 *   `[key, value]` pair with `withKey`; it completes once the source has completed and every
 *   read is done. It errors with the first failed read (e.g. `ERR_INVALID_KEY` when an input is
 *   not a key, `ERR_CORRUPT` for a damaged value) and with `ERR_INVALID_ARGUMENT` for a bad
 *   `concurrency`; unsubscribing stops starting new reads.
 * @example
 * ```ts
 * from(['user/1', 'user/2', 'user/3'])
 *   .pipe(getFrom(store, { concurrency: 2 }))
 *   .subscribe((user) => console.log(user)); // in input order
 * ```
 */
export function getFrom<V, K extends StoreKey<V> = StoreKey<V>>(store: Store<V>, options?: PlainOptions): OperatorFunction<K, StoreValue<V, K> | undefined>;
export function getFrom<V, K extends StoreKey<V> = StoreKey<V>>(
  store: Store<V>,
  options: WithKeyOptions,
): OperatorFunction<K, Keyed<K, StoreValue<V, K> | undefined>>;
export function getFrom<V>(store: Store<V>, options: OperatorOptions & { readonly withKey?: boolean } = {}): OperatorFunction<Key, unknown> {
  const untyped: Store = store;
  return concurrentMap(
    'getFrom',
    keyed(
      (key: Key) => untyped.get(key),
      options.withKey,
      (key) => key,
    ),
    options,
  );
}
