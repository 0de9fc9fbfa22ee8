/** The convenience factory and the 'faulty' registry name. */
import { connectBacking, invalidArgument, optionNames, pickOptions, STORE_OPTIONS, type BackingStore, type Store, type StoreOptions } from '@konserve-rx/core';
import type { Observable } from 'rxjs';
import { faultyBacking } from './faulty-backing';
import { FAULTY_BACKING_OPTIONS, type FaultyBackingOptions } from './options';

/** The registry name of a store over a faulty backing: `{ backend: 'faulty', inner, seed?, errorRates?, ... }`. */
export const FAULTY_BACKEND_NAME = 'faulty';

/** Options of {@link connectFaultyStore}: the inner backing, the faults and core's store options. */
export interface FaultyStoreOptions extends FaultyBackingOptions, StoreOptions {
  /** The backing that holds the bytes (required: this package depends on no backend). */
  inner: BackingStore;
}

/** Every option name of {@link FaultyStoreOptions}. */
export const FAULTY_STORE_OPTIONS = optionNames<Pick<FaultyStoreOptions, 'inner'>>({ inner: true }, FAULTY_BACKING_OPTIONS, STORE_OPTIONS);

/**
 * Connects a Store over `faultyBacking(options.inner, faults)`; `store.backing` is the
 * {@link FaultyBacking}, with its fault record.
 * @param options - the inner backing, the fault settings and core's store options
 * @returns a cold Observable emitting the Store once, then completing; errors with
 *   `ERR_INVALID_ARGUMENT` for an unknown option, a bad rate or a missing `inner`
 * @example
 * ```ts
 * connectFaultyStore({ inner: memoryBacking(), seed: 7, errorRates: { write: 0.1 } })
 *   .pipe(switchMap((store) => store.assoc('a', 1)))
 *   .subscribe({ error: (e) => console.log(e.code) });
 * ```
 */
export function connectFaultyStore<V = unknown>(options: FaultyStoreOptions): Observable<Store<V>> {
  return connectBacking<V>('connectFaultyStore', options, FAULTY_STORE_OPTIONS, () => {
    if (options.inner === undefined) throw invalidArgument('connectFaultyStore needs `inner`: the backing to inject faults into');
    return faultyBacking(options.inner, pickOptions(options, FAULTY_BACKING_OPTIONS));
  });
}
