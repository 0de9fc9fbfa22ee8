/**
 * The SQL of one store (docs/postgres.md, "Table layout"): blobs in `<schema>.<table>` as
 * `(id text COLLATE "C" PRIMARY KEY, data bytea)`, change notices too large for NOTIFY in
 * `<table>_notices`, one NOTIFY channel and one advisory-lock namespace per store.
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
  readonly notices: string;
  /** The NOTIFY channel (quoted identifier). */
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
  readonly notify: Statement;
  readonly notifyLarge: Statement;
  readonly fetchNotice: Statement;
  /** Creates schema and tables when missing (run inside a transaction holding the setup lock). */
  readonly create: readonly string[];
  readonly drop: string;
  /** Answers `exists`: whether the blob table is there. */
  readonly exists: string;
}

/** Longest table name: `<table>_notices` must fit PostgreSQL's 63-byte identifiers. */
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
  const n = `${s}.${quote(`${table}_notices`)}`;
  const name = `${schema}.${table}`;
  const channelName = `konserve_${createHash('sha256').update(name).digest('hex').slice(0, 24)}`;
  return {
    name,
    schema: s,
    table: t,
    notices: n,
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
    writeIfUnlocked: writeIfUnlockedSql(t, n, st),
    delete: st(`DELETE FROM ${t} WHERE id = $1`),
    has: st(`SELECT 1 FROM ${t} WHERE id = $1`),
    listPage: st(`SELECT id FROM ${t} WHERE id > $1 ORDER BY id LIMIT $2`),
    listRangePage: st(`SELECT id FROM ${t} WHERE id > $1 AND id < $3 ORDER BY id LIMIT $2`),
    tryLock: st('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok'),
    unlock: st('SELECT pg_advisory_unlock(hashtextextended($1, 0))'),
    notify: st('SELECT pg_notify($1, $2)'),
    // a notice too large for NOTIFY goes into the notices table, and NOTIFY carries its number;
    // notices older than ten minutes go in the same statement (receivers fetch within moments)
    notifyLarge: st(
      `WITH n AS (INSERT INTO ${n} (payload) VALUES ($2) RETURNING seq), ` +
        `old AS (DELETE FROM ${n} WHERE at < now() - interval '10 minutes') ` +
        `SELECT pg_notify($1, json_build_object('v', 1, 'origin', $3::text, 'ref', n.seq)::text) FROM n`,
    ),
    fetchNotice: st(`SELECT payload FROM ${n} WHERE seq = $1`),
    create: [
      ...(schema === 'public' ? [] : [`CREATE SCHEMA IF NOT EXISTS ${s}`]),
      `CREATE TABLE IF NOT EXISTS ${t} (id text COLLATE "C" PRIMARY KEY, data bytea NOT NULL)`,
      // blobs are already compressed when the store compresses, and readHead reads only the first chunk
      `ALTER TABLE ${t} ALTER COLUMN data SET STORAGE EXTERNAL`,
      `CREATE TABLE IF NOT EXISTS ${n} (seq bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    ],
    drop: `DROP TABLE IF EXISTS ${t}, ${n}`,
    exists: 'SELECT to_regclass($1) IS NOT NULL AS ok',
  };
}

/**
 * The one-statement writes of `writeIfUnlocked`: `none` writes, `small` also NOTIFYs a payload,
 * `large` also keeps the payload in the notices table and NOTIFYs its number. Parameters: $1 the
 * lock name, $2 the blob id, $3 the bytes, then $4 the channel, $5 the payload, $6 the origin. Each
 * answers one row whose `ok` says whether the lock was free (and so the write and the notice made).
 */
export interface WriteIfUnlockedSql {
  readonly none: Statement;
  readonly small: Statement;
  readonly large: Statement;
}

/**
 * Builds the statements of {@link WriteIfUnlockedSql} for blob table `t` and notices table `n`.
 *
 * Why they fence: `pg_try_advisory_xact_lock` takes the lock id's advisory lock for the statement's
 * own transaction, and advisory locks conflict whatever their level, so it is granted only while no
 * session holds the lock (`lock` takes it at session level) and, once granted, no session can take
 * it until this transaction has committed. The write and its NOTIFY depend on the grant (`WHERE
 * l.ok`) and commit with it, so a blind write never lands between another process's locked read and
 * write, and its notice is delivered only when the write was made. `l` calls a volatile function,
 * so PostgreSQL evaluates it exactly once, before the rows that read it.
 */
export function writeIfUnlockedSql(t: string, n: string, st: (text: string) => Statement): WriteIfUnlockedSql {
  const head =
    'WITH l AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok), ' +
    `put AS (INSERT INTO ${t} (id, data) SELECT $2::text, $3::bytea FROM l WHERE l.ok ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data)`;
  // `sent` is read by the final SELECT, so it runs (a CTE nobody reads would not)
  const tail = ' SELECT l.ok, (SELECT count(*) FROM sent) AS sent FROM l';
  return {
    none: st(`${head} SELECT ok FROM l`),
    small: st(`${head}, sent AS (SELECT pg_notify($4, $5) FROM l WHERE l.ok)${tail}`),
    large: st(
      `${head}, ` +
        `kept AS (INSERT INTO ${n} (payload) SELECT $5::text FROM l WHERE l.ok RETURNING seq), ` +
        `old AS (DELETE FROM ${n} WHERE at < now() - interval '10 minutes'), ` +
        `sent AS (SELECT pg_notify($4, json_build_object('v', 1, 'origin', $6::text, 'ref', kept.seq)::text) FROM kept)${tail}`,
    ),
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
