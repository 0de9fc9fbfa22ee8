/** `assocTo`: writes each incoming `[key, value]` pair to the store. */
import type { OperatorFunction } from 'rxjs';
import { invalidArgument } from '../errors';
import type { StoreKey } from '../schema';
import type { Key, Meta, Store, StoreEntry } from '../store-api';
import { concurrentMap, keyed } from './internal/concurrent-map';
import type { Keyed, OperatorOptions, PlainOptions, WithKeyOptions } from './options';

/**
 * Writes each incoming `[key, value]` pair to `store`, like `store.assoc(key, value)` for every
 * pair, with at most `concurrency` writes at once; writes of the same key apply in input order,
 * so the last pair for a key wins.
 * @param store - the store to write to
 * @param options - `concurrency` (default 16), `ordered` (default `true`: results in input
 *   order), `withKey` (default `false`: emit `[key, meta]` pairs when `true`)
 * @returns an operator emitting the new `Meta` of each write (or `[key, meta]` with `withKey`);
 *   it completes once the source has completed and every write is done. It errors with the first
 *   failure: `ERR_INVALID_ARGUMENT` when an input is not a `[key, value]` pair or `concurrency` is
 *   bad, `ERR_INVALID_KEY`, `ERR_NOT_SERIALIZABLE` (nothing written for that pair), `ERR_IO`.
 *   A write that has started finishes even if the subscriber leaves; no new one starts.
 * @example
 * ```ts
 * from(users)
 *   .pipe(map((u) => [`user/${u.id}`, u] as const), assocTo(store, { concurrency: 8 }), count())
 *   .subscribe((n) => console.log(`${n} users imported`));
 * ```
 */
export function assocTo<V>(store: Store<V>, options?: PlainOptions): OperatorFunction<StoreEntry<V>, Meta>;
export function assocTo<V>(store: Store<V>, options: WithKeyOptions): OperatorFunction<StoreEntry<V>, Keyed<StoreKey<V>, Meta>>;
export function assocTo<V>(store: Store<V>, options: OperatorOptions & { readonly withKey?: boolean } = {}): OperatorFunction<StoreEntry<V>, unknown> {
  const untyped: Store = store;
  const write = (entry: StoreEntry<V>) => {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw invalidArgument(`assocTo takes [key, value] pairs, got ${Array.isArray(entry) ? `an array of ${entry.length}` : typeof entry}`);
    }
    return untyped.assoc(entry[0] as Key, entry[1]);
  };
  return concurrentMap(
    'assocTo',
    keyed(write, options.withKey, (entry) => entry[0]),
    options,
  );
}
