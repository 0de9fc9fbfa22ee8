/**
 * `writeIfUnlocked` (docs/postgres.md, "Blind writes in one statement"): a blind single-blob write
 * as one statement on any pool connection, made only while no session holds the blob's lock, with
 * its change appended to the change log by the same transaction. It spares an uncontended `assoc`
 * the statements of the locked path (lock, write, log, unlock), all queued on the one lock session.
 */
import { lockIdOf } from '@konserve-rx/core';
import type { Pool } from 'pg';
import type { NoticeValues } from './notice-codec';
import type { StoreSql } from './sql';

/**
 * Writes `data` as blob `id` when no session holds the lock of `lockIdOf(id)`, and logs the change
 * (its origin, the backing instance, then its columns) when given, in the same transaction;
 * resolves whether it did. Rejects with the driver's error.
 */
export async function writeIfUnlocked(pool: Pool, sql: StoreSql, id: string, data: Buffer, change?: [origin: string, ...NoticeValues]): Promise<boolean> {
  const lock = sql.lockName(lockIdOf(id));
  const { none, logged, loggedOwn } = sql.writeIfUnlocked;
  const r =
    change === undefined
      ? await pool.query(none, [lock, id, data])
      : change[2] === id && change[4] === null
        ? await pool.query(loggedOwn, [lock, id, data, change[0], change[1], change[3]])
        : await pool.query(logged, [lock, id, data, ...change]);
  // one row inserted (the blob's, or its change's, which exists exactly when the blob was written) or none
  return r.rowCount === 1;
}
