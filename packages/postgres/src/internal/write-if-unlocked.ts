/**
 * `writeIfUnlocked` (docs/postgres.md, "Blind writes in one statement"): a blind single-blob write
 * as one statement on any pool connection, made only while no session holds the blob's lock, with
 * its change notice sent by the same transaction. It spares an uncontended `assoc` the four
 * statements of the locked path (lock, write, notify, unlock), all queued on the one lock session.
 */
import { lockIdOf, type ChangeNotice } from '@konserve-rx/core';
import type { Pool } from 'pg';
import { MAX_NOTIFY_BYTES, encodeNotice } from './notice-codec';
import type { StoreSql } from './sql';

/**
 * How `notice` from backing instance `origin` is shared: `large` when it does not fit a NOTIFY
 * payload (it then goes through the notices table), and the parameters of the statement that sends it.
 */
export function notifyStatement(sql: StoreSql, origin: string, notice: ChangeNotice): { large: boolean; values: string[] } {
  const payload = encodeNotice(origin, notice);
  const large = Buffer.byteLength(payload) > MAX_NOTIFY_BYTES;
  return { large, values: large ? [sql.channelName, payload, origin] : [sql.channelName, payload] };
}

/**
 * Writes `data` as blob `id` when no session holds the lock of `lockIdOf(id)`, and sends `notice`
 * (when given) in the same transaction; resolves whether it did. Rejects with the driver's error.
 */
export async function writeIfUnlocked(pool: Pool, sql: StoreSql, origin: string, id: string, data: Buffer, notice?: ChangeNotice): Promise<boolean> {
  const write = [sql.lockName(lockIdOf(id)), id, data];
  const statements = sql.writeIfUnlocked;
  let statement = statements.none;
  let values: unknown[] = write;
  if (notice !== undefined) {
    const n = notifyStatement(sql, origin, notice);
    statement = n.large ? statements.large : statements.small;
    values = [...write, ...n.values];
  }
  const r = await pool.query<{ ok: boolean }>(statement, values);
  return r.rows[0]?.ok === true;
}
