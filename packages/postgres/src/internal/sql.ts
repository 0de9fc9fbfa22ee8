/**
 * The SQL of one store (docs/postgres.md, "Table layout"): blobs in `<schema>.<table>` as
 * `(id text COLLATE "C" PRIMARY KEY, data bytea)`, the change log in `<table>_changes`, one NOTIFY
 * channel (wake-ups only) and one advisory-lock namespace per store.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '@konserve-rx/core';

/**
 * A statement as node-postgres runs it: with a `name`, as a prepared statement, parsed and planned
 * by the server once per connection instead of on every call (the name is derived from the text,
 * so every store and backing sharing a pool agrees on it).
 */
export interface Statement {
  readonly text: string;
  readonly name?: string;
}

/** The statements of one store, with its identifiers quoted. */
export interface StoreSql {
  /** `schema.table`, unquoted, as users wrote it (for messages and lock names). */
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  /** The change log table (docs/postgres.md, "Changes across processes"). */
  readonly changes: string;
  /** The NOTIFY channel of wake-ups (quoted identifier). */
  readonly channel: string;
  /** The unquoted channel name, as `pg_notify` takes it. */
  readonly channelName: string;
  /** The text an advisory lock of blob-lock `id` is hashed from. */
  lockName(id: string): string;
  readonly read: Statement;
  readonly readHead: Statement;
  readonly write: Statement;
  readonly writeBatch: Statement;
  /** The statements of `writeIfUnlocked`, by the notice they share (see {@link writeIfUnlockedSql}). */
  readonly writeIfUnlocked: WriteIfUnlockedSql;
  readonly delete: Statement;
  readonly has: Statement;
  readonly listPage: Statement;
  /** A page of the ids in the range (`$1`, `$3`): the ids of a scope, ordered as `listPage` (the column collates as "C"). */
  readonly listRangePage: Statement;
  readonly tryLock: Statement;
  readonly unlock: Statement;
  /** Appends a change: $1 the origin, then its columns ($2 op, $3 id, $4 meta, $5 detail: see notice-codec). */
  readonly logChange: Statement;
  /** Where a change reader starts: the largest xid in the log (`last`, null when empty) and the current snapshot as text. */
  readonly changesStart: Statement;
  /**
   * The changes a reader has not seen: $1 the largest xid it has seen, $2 the xids in progress at
   * its last read, $3 its own origin (its own changes are counted, not returned). Answers the
   * current snapshot and the largest xid seen (`last`) on every row, and the other origins'
   * changes (`op`, `id`, `meta`, `detail`) in commit order per key (one row with a null `op` when
   * there are none).
   */
  readonly readChanges: Statement;
  /** Deletes the changes of transactions older than $1 (an xmin). */
  readonly pruneChanges: Statement;
  /** Wakes the change readers: $1 the channel name, $2 the origin. */
  readonly wake: Statement;
  /** Creates schema and tables when missing (run inside a transaction holding the setup lock). */
  readonly create: readonly string[];
  readonly drop: string;
  /** Answers `exists`: whether the blob table is there. */
  readonly exists: string;
}

/** Longest table name: `<table>_changes` must fit PostgreSQL's 63-byte identifiers. */
const MAX_TABLE = 50;

/**
 * Builds the SQL of the store in `schema.table`; errors with `ERR_INVALID_ARGUMENT` on a bad name.
 * With `prepare`, the statements of the data methods are named (prepared once per connection).
 */
export function storeSql(table: unknown, schema: unknown = 'public', prepare = true): StoreSql {
  checkName('table', table, MAX_TABLE);
  checkName('schema', schema, 63);
  const st = (text: string): Statement => (prepare ? { name: `konserve-rx-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`, text } : { text });
  const s = quote(schema);
  const t = `${s}.${quote(table)}`;
  const c = `${s}.${quote(`${table}_changes`)}`;
  const name = `${schema}.${table}`;
  const channelName = `konserve_${createHash('sha256').update(name).digest('hex').slice(0, 24)}`;
  return {
    name,
    schema: s,
    table: t,
    changes: c,
    channel: quote(channelName),
    channelName,
    lockName: (id) => `konserve-rx:${name}:${id}`,
    read: st(`SELECT data FROM ${t} WHERE id = $1`),
    readHead: st(`SELECT substring(data FROM 1 FOR $2) AS data FROM ${t} WHERE id = $1`),
    write: st(`INSERT INTO ${t} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data`),
    // one statement, so all or nothing; ids are unique within a batch (the caller keeps the last entry of each)
    writeBatch: st(
      `WITH gone AS (DELETE FROM ${t} WHERE id = ANY($1::text[])), ` +
        `put AS (INSERT INTO ${t} (id, data) SELECT * FROM unnest($2::text[], $3::bytea[]) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data) ` +
        'SELECT 1',
    ),
    writeIfUnlocked: writeIfUnlockedSql(t, c, st),
    delete: st(`DELETE FROM ${t} WHERE id = $1`),
    has: st(`SELECT 1 FROM ${t} WHERE id = $1`),
    listPage: st(`SELECT id FROM ${t} WHERE id > $1 ORDER BY id LIMIT $2`),
    listRangePage: st(`SELECT id FROM ${t} WHERE id > $1 AND id < $3 ORDER BY id LIMIT $2`),
    tryLock: st('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok'),
    unlock: st('SELECT pg_advisory_unlock(hashtextextended($1, 0))'),
    logChange: st(`INSERT INTO ${c} (origin, op, id, meta, detail) VALUES ($1, $2, $3, $4, $5)`),
    changesStart: st(`SELECT (SELECT max(xid) FROM ${c})::text AS last, pg_current_snapshot()::text AS snap`),
    // pg_current_snapshot() is the statement's own snapshot, the one the scan sees; rows of one xid
    // need no order among them: every row is a transaction's only change of its key
    readChanges: st(
      `WITH c AS MATERIALIZED (SELECT xid, origin, op, id, meta, detail FROM ${c} WHERE xid > $1::xid8 OR xid = ANY($2::xid8[])) ` +
        'SELECT pg_current_snapshot()::text AS snap, (SELECT max(xid) FROM c)::text AS last, f.op, f.id, f.meta, f.detail FROM (SELECT 1) one ' +
        'LEFT JOIN LATERAL (SELECT xid, op, id, meta, detail FROM c WHERE origin <> $3) f ON true ORDER BY f.xid',
    ),
    pruneChanges: st(`DELETE FROM ${c} WHERE xid < $1::xid8`),
    wake: st('SELECT pg_notify($1, $2)'),
    create: [
      ...(schema === 'public' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${s}`]),
      `CREATE TABLE IF NOT EXISTS ${t} (id text COLLATE "C" PRIMARY KEY, data bytea NOT NULL)`,
      // blobs are already compressed when the store compresses, and readHead reads only the first chunk
      `ALTER TABLE ${t} ALTER COLUMN data SET STORAGE EXTERNAL`,
      // xid: the writing transaction (top level), by which readers know what they have not seen yet
      `CREATE TABLE IF NOT EXISTS ${c} (xid xid8 NOT NULL DEFAULT pg_current_xact_id(), origin text NOT NULL, op text NOT NULL, id text NOT NULL, meta bytea NOT NULL, detail text)`,
      `CREATE INDEX IF NOT EXISTS ${quote(`${table}_changes_xid`)} ON ${c} (xid)`,
    ],
    drop: `DROP TABLE IF EXISTS ${t}, ${c}`,
    exists: 'SELECT to_regclass($1) IS NOT NULL AS ok',
  };
}

/**
 * The one-statement writes of `writeIfUnlocked`: `none` writes, `logged` also appends the change
 * to the change log. Parameters: $1 the lock name, $2 the blob id, $3 the bytes, then $4 the
 * origin and the change's columns ($5 op, $6 id, $7 meta, $8 detail: see notice-codec). Each is an `INSERT` whose row count (1 or 0) says whether the lock was
 * free (and so the write, and the change, made); it answers no rows.
 */
export interface WriteIfUnlockedSql {
  readonly none: Statement;
  readonly logged: Statement;
  /** `logged` for the common change, of the blob written and without detail: $4 origin, $5 op, $6 meta (two parameters fewer). */
  readonly loggedOwn: Statement;
}

/**
 * Builds the statements of {@link WriteIfUnlockedSql} for blob table `t` and change log `c`.
 *
 * Why they fence: `pg_try_advisory_xact_lock` takes the lock id's advisory lock for the statement's
 * own transaction, and advisory locks conflict whatever their level, so it is granted only while no
 * session holds the lock (`lock` takes it at session level) and, once granted, no session can take
 * it until this transaction has committed. It is the `WHERE` of the one row the blob `INSERT`
 * reads, a volatile condition without a table: PostgreSQL evaluates it once (a one-time filter)
 * before that row exists, so nothing is written unless it was granted. The change is inserted from
 * the blob `INSERT`'s `RETURNING`, so it is logged exactly when the write was made, in the same
 * transaction, under a transaction id taken while the lock was held (so per key, the log's order is
 * the commit order).
 */
export function writeIfUnlockedSql(t: string, c: string, st: (text: string) => Statement): WriteIfUnlockedSql {
  const put =
    `INSERT INTO ${t} (id, data) SELECT $2::text, $3::bytea WHERE pg_try_advisory_xact_lock(hashtextextended($1, 0)) ` +
    'ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data';
  const logged = (values: string): Statement =>
    st(`WITH put AS (${put} RETURNING 1) INSERT INTO ${c} (origin, op, id, meta, detail) SELECT ${values} FROM put`);
  return {
    none: st(put),
    logged: logged('$4::text, $5::text, $6::text, $7::bytea, $8::text'),
    loggedOwn: logged('$4::text, $5::text, $2::text, $6::bytea, NULL'),
  };
}

/** The advisory lock every process takes while creating or dropping tables (so concurrent first connects do not collide). */
export const SETUP_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('konserve-rx:setup', 0))";

/** A quoted SQL identifier. */
export function quote(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

function checkName(what: string, value: unknown, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > max || value.includes('\0')) {
    throw invalidArgument(`the PostgreSQL ${what} name must be a non-empty string of at most ${max} bytes, got ${JSON.stringify(value)}`);
  }
}
