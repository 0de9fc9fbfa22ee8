/** The options of {@link postgresBacking} and what each one trades off. */
import { optionNames } from '@konserve-rx/core';
import type { Pool, PoolConfig } from 'pg';
import type { SchedulerLike } from 'rxjs';

/** Options of `postgresBacking` and `connectPostgresStore`. */
export interface PostgresBackingOptions {
  /**
   * The table holding the store's blobs (created on first connect, dropped by `deleteStore`);
   * a second table `<table>_changes` is the change log. At most 50 bytes.
   */
  table: string;
  /**
   * The schema of the tables (created on first connect when missing).
   * @default 'public'
   */
  schema?: string;
  /**
   * Where the server is, as a libpq URL (`postgres://user:pass@host:port/db`). Ignored when `pool`
   * is given; without either, node-postgres reads the usual `PG*` environment variables.
   * @default undefined
   */
  connectionString?: string;
  /**
   * A node-postgres pool to use instead of making one. The backing never ends it; it checks out two
   * of its clients for as long as it is open (the lock session and, with `shareChanges`, the listener).
   * @default undefined (a pool is made from `connectionString`)
   */
  pool?: Pool;
  /**
   * Extra options of the pool made from `connectionString` (TLS, size, ...); they override the
   * fail-fast defaults (`connectionTimeoutMillis`, `query_timeout`, `keepAlive`, `max: 10`).
   * @default {}
   */
  poolOptions?: PoolConfig;
  /**
   * A query without an answer after this many milliseconds fails with `ERR_IO` (guards against a
   * server that stops answering without closing the connection); also the connect timeout.
   * @default 5000
   */
  queryTimeout?: number;
  /**
   * How long a writer waits for another process's lock before failing with `ERR_LOCKED`, in ms.
   * @default 30000
   */
  lockTimeout?: number;
  /**
   * Share change events with other processes: every write appends its change to the change log in
   * its own transaction, and each store reads the others' changes when woken by a NOTIFY (one
   * listening connection per store). Without it `changes()`/`watch()` see local writes only.
   * @default true
   */
  shareChanges?: boolean;
  /**
   * How long a change stays in the change log after its transaction ended, in ms: a store that
   * cannot read the log for longer (its server connection lost) misses the changes pruned meanwhile.
   * @default 60000
   */
  changeRetention?: number;
  /**
   * The shortest time between two wake-ups this store sends to the readers of the change log, in ms:
   * the writes made meanwhile share one NOTIFY, sent outside any write's transaction. Other stores
   * see a write up to this much later.
   * @default 50
   */
  changeWakeInterval?: number;
  /**
   * Overrides `capabilities.durable`.
   * @default detected on connect: true when the server has `fsync` on and `synchronous_commit` not off
   */
  durable?: boolean;
  /**
   * Blob ids fetched per query while listing (keyset pages: the whole table is never loaded).
   * @default 1000
   */
  listPageSize?: number;
  /**
   * The largest blob the backing writes, in bytes; a larger one fails with `ERR_INVALID_ARGUMENT`
   * and nothing is written. node-postgres moves a `bytea` whole (hex-encoded in reads), so a blob
   * costs about three times its size in memory while it travels.
   * @default 67108864 (64 MiB)
   */
  maxBlobBytes?: number;
  /**
   * Run the statements of reads, writes and locks as named prepared statements, which the server
   * parses and plans once per connection instead of on every call (about a third of a read's
   * server time). Turn it off behind a connection pooler that does not keep prepared statements
   * across transactions (PgBouncer in transaction mode before 1.21).
   * @default true
   */
  prepareStatements?: boolean;
  /**
   * The scheduler lock waits (backoff) run on.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/** Every option name of {@link PostgresBackingOptions}: anything else fails with `ERR_INVALID_ARGUMENT`. */
export const POSTGRES_BACKING_OPTIONS = optionNames<PostgresBackingOptions>({
  table: true,
  schema: true,
  connectionString: true,
  pool: true,
  poolOptions: true,
  queryTimeout: true,
  lockTimeout: true,
  shareChanges: true,
  changeRetention: true,
  changeWakeInterval: true,
  durable: true,
  listPageSize: true,
  maxBlobBytes: true,
  prepareStatements: true,
  scheduler: true,
});
