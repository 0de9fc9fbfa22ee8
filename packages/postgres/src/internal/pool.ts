/**
 * The pool of one backing (the given one, or one made from the connection string with fail-fast
 * defaults) and its setup on first use: create schema and tables under the setup lock, and read
 * whether the server is durable. Setup runs once, and again after a failed attempt.
 */
import { Pool, type PoolClient } from 'pg';
import type { PostgresBackingOptions } from '../options';
import { SETUP_LOCK, type StoreSql } from './sql';

/** The pool of a backing and its one-time setup. */
export interface Pooled {
  readonly pool: Pool;
  /** Whether the backing made the pool (and so ends it on close). */
  readonly owned: boolean;
  /** Creates the tables once; `undefined` when already done. Rejects with the driver's error. */
  ready(): Promise<void> | undefined;
  /** Whether the server had `fsync` on and `synchronous_commit` not off when we connected. */
  durable(): boolean;
  /** Ends the pool when the backing made it; never rejects. */
  close(): Promise<void>;
}

/** Makes (without connecting) the pool of a backing over the store `sql`. */
export function pooled(options: PostgresBackingOptions, sql: StoreSql): Pooled {
  const owned = options.pool === undefined;
  const timeout = options.queryTimeout ?? 5000;
  const pool =
    options.pool ??
    new Pool({
      ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
      max: 10,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      keepAlive: true,
      ...options.poolOptions,
    });
  // an idle client whose server went away: the pool drops it; the next query reports the outage
  if (owned) pool.on('error', () => undefined);
  let durable = false;
  let opening: Promise<void> | undefined;
  let open = false;
  const start = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      durable = await setUp(client, sql);
      client.release();
    } catch (e) {
      client.release(true);
      throw e;
    }
  };
  return {
    pool,
    owned,
    ready: () =>
      open
        ? undefined
        : (opening ??= start().then(
            () => void (open = true),
            (e: unknown) => {
              opening = undefined;
              throw e;
            },
          )),
    durable: () => durable,
    close: async () => {
      if (owned) await pool.end().catch(() => undefined);
    },
  };
}

/** Creates schema and tables when missing, under the setup lock; returns whether the server is durable. */
async function setUp(client: PoolClient, sql: StoreSql): Promise<boolean> {
  let complete = true;
  for (const table of [sql.table, sql.changes]) complete &&= (await client.query<{ ok: boolean }>(sql.exists, [table])).rows[0]?.ok === true;
  if (!complete) {
    await client.query('BEGIN');
    try {
      await client.query(SETUP_LOCK);
      for (const statement of sql.create) await client.query(statement);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
  const r = await client.query<{ durable: boolean }>("SELECT current_setting('fsync') = 'on' AND current_setting('synchronous_commit') <> 'off' AS durable");
  return r.rows[0]?.durable === true;
}
