/**
 * Whether a Redis store exists, and deleting one: the hooks behind `storeExists`/`deleteStore`
 * and the strict `connectStore` modes for `backend: 'redis'`. A store exists from its first
 * connection on (which writes the marker key `<prefix>store`) until it is deleted.
 */
import { ioError } from '@konserve-rx/core';
import { defer, type Observable } from 'rxjs';
import { connection, type Connection } from './internal/connection';
import { keyspace } from './internal/keyspace';
import type { RedisBackingOptions } from './options';

/** Keys deleted per UNLINK while deleting a store. */
const UNLINK_BATCH = 500;

/**
 * Tells whether a store has been created under `options.prefix` (and not deleted since).
 * @param options - url or client, and prefix
 * @returns an Observable emitting `true` or `false`, then completing; errors with `ERR_IO` when
 * the server cannot be reached
 * @example
 * ```ts
 * redisStoreExists({ url, prefix: 'app:' }).subscribe((exists) => console.log(exists));
 * ```
 */
export function redisStoreExists(options: RedisBackingOptions = {}): Observable<boolean> {
  return withConnection(options, async (conn) => (await conn.client.exists(keyspace(options.prefix ?? 'konserve:').marker)) > 0);
}

/**
 * Deletes every key of the store under `options.prefix` (blobs, locks and marker), with SCAN and
 * UNLINK so the server is never blocked. Close every Store on it first: a writer still running
 * would recreate the keys it writes. Completes also when the store never existed.
 * @param options - url or client, and prefix
 * @returns an Observable emitting `undefined` once everything is deleted, then completing;
 * errors with `ERR_IO` when the server cannot be reached
 * @example
 * ```ts
 * deleteRedisStore({ url, prefix: 'bench-1:' }).subscribe();
 * ```
 */
export function deleteRedisStore(options: RedisBackingOptions = {}): Observable<void> {
  return withConnection(options, async ({ client }) => {
    const keys = keyspace(options.prefix ?? 'konserve:');
    for (const pattern of keys.patterns) {
      let cursor = '0';
      do {
        const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', UNLINK_BATCH);
        cursor = next;
        if (batch.length > 0) await client.unlink(...batch);
      } while (cursor !== '0');
    }
    // the marker goes last: a deletion cut short leaves a store that still exists, not orphaned keys
    await client.unlink(keys.marker);
  });
}

/** Runs `work` on a short-lived connection (never the subscriber), closing it afterwards. */
function withConnection<T>(options: RedisBackingOptions, work: (conn: Connection) => Promise<T>): Observable<T> {
  return defer(async () => {
    const conn = connection(options);
    try {
      await conn.ready();
      return await work(conn);
    } catch (e) {
      throw ioError(e);
    } finally {
      await conn.close();
    }
  });
}
