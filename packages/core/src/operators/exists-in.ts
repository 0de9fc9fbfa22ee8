/** `existsIn`: tells for each incoming key whether the store holds it. */
import type { OperatorFunction } from 'rxjs';
import type { StoreKey } from '../schema';
import type { Key, Store } from '../store-api';
import { concurrentMap, keyed } from './internal/concurrent-map';
import type { Keyed, OperatorOptions, PlainOptions, WithKeyOptions } from './options';

/**
 * Checks each incoming key against `store`, like `store.exists(key)` for every key, with at most
 * `concurrency` checks at once. Reads metadata only, never values.
 * @param store - the store to ask
 * @param options - `concurrency` (default 16), `ordered` (default `true`: results in input
 *   order), `withKey` (default `false`: emit `[key, exists]` pairs when `true`)
 * @returns an operator emitting `true` or `false` per key (or `[key, boolean]` with `withKey`);
 *   it completes once the source has completed and every check is done, and errors with the
 *   first failure (`ERR_INVALID_KEY` for an input that is not a key, `ERR_INVALID_ARGUMENT` for a
 *   bad `concurrency`)
 * @example
 * ```ts
 * from(['a', 'b']).pipe(existsIn(store, { withKey: true })).subscribe(([key, found]) => console.log(key, found));
 * ```
 */
export function existsIn<V, K extends StoreKey<V> = StoreKey<V>>(store: Store<V>, options?: PlainOptions): OperatorFunction<K, boolean>;
export function existsIn<V, K extends StoreKey<V> = StoreKey<V>>(store: Store<V>, options: WithKeyOptions): OperatorFunction<K, Keyed<K, boolean>>;
export function existsIn<V>(store: Store<V>, options: OperatorOptions & { readonly withKey?: boolean } = {}): OperatorFunction<Key, unknown> {
  const untyped: Store = store;
  return concurrentMap(
    'existsIn',
    keyed(
      (key: Key) => untyped.exists(key),
      options.withKey,
      (key) => key,
    ),
    options,
  );
}
