/** `dissocFrom`: removes each incoming key from the store. */
import type { OperatorFunction } from 'rxjs';
import type { StoreKey } from '../schema';
import type { Key, Store } from '../store-api';
import { concurrentMap, keyed } from './internal/concurrent-map';
import type { Keyed, OperatorOptions, PlainOptions, WithKeyOptions } from './options';

/**
 * Removes each incoming key from `store`, like `store.dissoc(key)` for every key, with at most
 * `concurrency` removals at once; removals of the same key apply in input order.
 * @param store - the store to remove from
 * @param options - `concurrency` (default 16), `ordered` (default `true`: results in input
 *   order), `withKey` (default `false`: emit `[key, existed]` pairs when `true`)
 * @returns an operator emitting, per key, whether it existed (or `[key, boolean]` with
 *   `withKey`); it completes once the source has completed and every removal is done, and errors
 *   with the first failure (`ERR_INVALID_KEY` for an input that is not a key, `ERR_IO` from the
 *   backing, `ERR_INVALID_ARGUMENT` for a bad `concurrency`). A removal that has started finishes
 *   even if the subscriber leaves; no new one starts.
 * @example
 * ```ts
 * store.keys().pipe(map((meta) => meta.key), dissocFrom(store), count()).subscribe((n) => console.log(`${n} removed`));
 * ```
 */
export function dissocFrom<V, K extends StoreKey<V> = StoreKey<V>>(store: Store<V>, options?: PlainOptions): OperatorFunction<K, boolean>;
export function dissocFrom<V, K extends StoreKey<V> = StoreKey<V>>(store: Store<V>, options: WithKeyOptions): OperatorFunction<K, Keyed<K, boolean>>;
export function dissocFrom<V>(store: Store<V>, options: OperatorOptions & { readonly withKey?: boolean } = {}): OperatorFunction<Key, unknown> {
  const untyped: Store = store;
  return concurrentMap(
    'dissocFrom',
    keyed(
      (key: Key) => untyped.dissoc(key),
      options.withKey,
      (key) => key,
    ),
    options,
  );
}
