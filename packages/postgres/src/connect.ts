/** `connectPostgresStore`: a Store over a PostgreSQL table, created before it is emitted. */
import type { Observable } from 'rxjs';
import { connectBacking, optionNames, pickOptions, STORE_OPTIONS, type Store, type StoreOptions } from '@konserve-rx/core';
import { POSTGRES_BACKING_OPTIONS, type PostgresBackingOptions } from './options';
import { postgresBacking } from './postgres-backing';

/** The name the PostgreSQL backend registers for `connectStore({ backend: 'postgres' })`. */
export const POSTGRES_BACKEND_NAME = 'postgres';

/** Options of {@link connectPostgresStore}: the backing's and the Store's. */
export interface PostgresStoreOptions extends PostgresBackingOptions, StoreOptions {}

const POSTGRES_STORE_OPTIONS = optionNames<object>({}, POSTGRES_BACKING_OPTIONS, STORE_OPTIONS);

/**
 * Connects a store in a PostgreSQL table: connects, creates the table when missing, starts
 * listening for other processes' changes, then emits the Store and completes. Errors with
 * `ERR_IO` (the driver's error as cause) when the server cannot be reached, and with
 * `ERR_INVALID_ARGUMENT` for a bad table or schema name. Unsubscribing before the store is
 * emitted closes the connections.
 * @param options - table (and schema), connectionString or pool, locks, timeouts, and Store options
 * @returns an Observable emitting the connected Store, then completing
 * @example
 * ```ts
 * connectPostgresStore<number>({ connectionString: 'postgres://app@db/app', table: 'kv' })
 *   .pipe(switchMap((store) => store.update('visits', (n = 0) => n + 1)))
 *   .subscribe(console.log);
 * ```
 */
export function connectPostgresStore<V = unknown>(options: PostgresStoreOptions): Observable<Store<V>> {
  return connectBacking<V>('connectPostgresStore', options, POSTGRES_STORE_OPTIONS, () =>
    postgresBacking(pickOptions(options, POSTGRES_BACKING_OPTIONS) as PostgresBackingOptions),
  );
}
