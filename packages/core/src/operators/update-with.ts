/** `updateWith`: atomically updates the value of each incoming key with one function. */
import type { OperatorFunction } from 'rxjs';
import type { Declared, StoreKey, StoreValue, UpdateFn } from '../schema';
import type { Change, Key, Store } from '../store-api';
import { concurrentMap, keyed } from './internal/concurrent-map';
import type { Keyed, OperatorOptions, PlainOptions, WithKeyOptions } from './options';

/**
 * Updates each incoming key of `store` with `fn(old, key)`, like `store.update(key, fn, key)` for
 * every key, with at most `concurrency` updates at once. Each update is atomic under the key's
 * lock, and updates of the same key apply in input order, so a key that comes N times is updated
 * N times, each seeing the previous result.
 * @param store - the store to update
 * @param fn - computes the new value from the current one (`undefined` when missing) and the key
 * @param options - `concurrency` (default 16), `ordered` (default `true`: results in input
 *   order), `withKey` (default `false`: emit `[key, { old, new }]` pairs when `true`)
 * @returns an operator emitting `{ old, new }` per key (or `[key, { old, new }]` with `withKey`);
 *   it completes once the source has completed and every update is done. It errors with the first
 *   failure: whatever `fn` throws (unchanged, and that key keeps its value), `ERR_INVALID_KEY`,
 *   `ERR_NOT_SERIALIZABLE`, `ERR_INVALID_ARGUMENT` (an append-log key, or a bad `concurrency`).
 *   An update that has started finishes even if the subscriber leaves; no new one starts.
 * @example
 * ```ts
 * from(['home', 'about', 'home'])
 *   .pipe(updateWith(store, (hits: number | undefined) => (hits ?? 0) + 1))
 *   .subscribe(({ new: hits }) => console.log(hits)); // 1, 1, 2
 * ```
 */
export function updateWith<V, K extends StoreKey<V> = StoreKey<V>, T = StoreValue<V, K>>(
  store: Store<V>,
  fn: UpdateFn<Declared<StoreValue<V, K>, T>, [key: K]>,
  options?: PlainOptions,
): OperatorFunction<K, Change<Declared<StoreValue<V, K>, T>>>;
export function updateWith<V, K extends StoreKey<V> = StoreKey<V>, T = StoreValue<V, K>>(
  store: Store<V>,
  fn: UpdateFn<Declared<StoreValue<V, K>, T>, [key: K]>,
  options: WithKeyOptions,
): OperatorFunction<K, Keyed<K, Change<Declared<StoreValue<V, K>, T>>>>;
export function updateWith<V>(
  store: Store<V>,
  // the overloads carry the types; `never` parameters accept every overload's fn
  fn: (old: never, key: never) => unknown,
  options: OperatorOptions & { readonly withKey?: boolean } = {},
): OperatorFunction<Key, unknown> {
  const untyped: Store = store;
  return concurrentMap(
    'updateWith',
    keyed(
      (key: Key) => untyped.update(key, fn, key),
      options.withKey,
      (key) => key,
    ),
    options,
  );
}
