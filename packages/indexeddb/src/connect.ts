/** `connectIndexedDbStore`: opens the database, then emits a Store over it. */
import type { Observable } from 'rxjs';
import { connectBacking, optionNames, pickOptions, STORE_OPTIONS, type Store, type StoreOptions } from '@konserve-rx/core';
import { indexedDbBacking } from './indexeddb-backing';
import { INDEXEDDB_BACKING_OPTIONS, type IndexedDbBackingOptions } from './options';

/** Options of {@link connectIndexedDbStore}: the backing's and the Store's. */
export interface IndexedDbStoreOptions extends IndexedDbBackingOptions, StoreOptions {}

const INDEXEDDB_STORE_OPTIONS = optionNames<object>({}, INDEXEDDB_BACKING_OPTIONS, STORE_OPTIONS);

/**
 * Connects a store in IndexedDB database `options.name`: opens it (creating it when missing),
 * joins its change channel, then emits the Store and completes. Errors with `ERR_IO` when the
 * database cannot be opened, and with `ERR_INVALID_ARGUMENT` for a bad option or a runtime without
 * IndexedDB. Unsubscribing before the store is emitted closes the connection.
 * @param options - the database name, sharing and locking options, and Store options
 * @returns an Observable emitting the connected Store, then completing
 * @example
 * ```ts
 * connectIndexedDbStore<number>({ name: 'app' })
 *   .pipe(switchMap((store) => store.update('visits', (n = 0) => n + 1)))
 *   .subscribe(({ new: visits }) => console.log(visits));
 * ```
 */
export function connectIndexedDbStore<V = unknown>(options: IndexedDbStoreOptions): Observable<Store<V>> {
  return connectBacking<V>('connectIndexedDbStore', options, INDEXEDDB_STORE_OPTIONS, () =>
    indexedDbBacking(pickOptions(options, INDEXEDDB_BACKING_OPTIONS) as IndexedDbBackingOptions),
  );
}
