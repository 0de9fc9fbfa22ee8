/**
 * Whether a PostgreSQL store exists, and deleting one: the hooks behind `storeExists`/`deleteStore`
 * and the strict `connectStore` modes for `backend: 'postgres'`. A store exists from its first
 * connection on (which creates its table) until it is deleted (which drops it).
 */
import { ioError } from '@konserve-rx/core';
import { Pool } from 'pg';
import { defer, type Observable } from 'rxjs';
import { pgFailure } from './internal/errors';
import { SETUP_LOCK, storeSql, type StoreSql } from './internal/sql';
import type { PostgresBackingOptions } from './options';

/**
 * Tells whether the store's table exists in `options.schema`.
 * @param options - table (and schema), connectionString or pool
 * @returns an Observable emitting `true` or `false`, then completing; errors with `ERR_IO` when
 * the server cannot be reached
 * @example
 * ```ts
 * postgresStoreExists({ connectionString, table: 'kv' }).subscribe((exists) => console.log(exists));
 * ```
 */
export function postgresStoreExists(options: PostgresBackingOptions): Observable<boolean> {
  return withPool(options, 'exists', async (pool, sql) => (await pool.query<{ ok: boolean }>(sql.exists, [sql.table])).rows[0]?.ok === true);
}

/**
 * Drops the store's tables (blobs and notices). Close every Store on it first: a Store still open
 * fails its next operations with `ERR_IO`, naming the missing table. Completes also when the store
 * never existed.
 * @param options - table (and schema), connectionString or pool
 * @returns an Observable emitting `undefined` once the tables are gone, then completing; errors
 * with `ERR_IO` when the server cannot be reached
 * @example
 * ```ts
 * deletePostgresStore({ connectionString, table: 'bench_1' }).subscribe();
 * ```
 */
export function deletePostgresStore(options: PostgresBackingOptions): Observable<void> {
  return withPool(options, 'drop', async (pool, sql) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(SETUP_LOCK);
      await client.query(sql.drop);
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      client.release(true);
      throw e;
    }
  });
}

/** Runs `work` on the given pool, or on a short-lived one made from the connection string. */
function withPool<T>(options: PostgresBackingOptions, what: string, work: (pool: Pool, sql: StoreSql) => Promise<T>): Observable<T> {
  return defer(async () => {
    const sql = storeSql(options.table, options.schema);
    const timeout = options.queryTimeout ?? 5000;
    const pool =
      options.pool ??
      new Pool({
        ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
        max: 1,
        connectionTimeoutMillis: timeout,
        query_timeout: timeout,
        ...options.poolOptions,
      });
    if (options.pool === undefined) pool.on('error', () => undefined);
    try {
      return await work(pool, sql);
    } catch (e) {
      throw ioError(pgFailure(e, what));
    } finally {
      if (options.pool === undefined) await pool.end().catch(() => undefined);
    }
  });
}
