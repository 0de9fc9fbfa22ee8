/**
 * Section "postgres": konserve-rx's PostgreSQL store against "the raw limit" (node-postgres doing a
 * plain `SELECT data` / `INSERT ... ON CONFLICT DO UPDATE` of the same CBOR-encoded 1 KB document,
 * nothing else, on a pool of the same size), and against the same raw client running those two
 * statements as named prepared statements, as the store does (so the gain of preparing is shown
 * apart from the store's own cost). One private cluster started for the run (loopback, `fsync` off
 * as in the tests: the numbers compare the clients, not the disk). Reads and writes, sequential and
 * many in flight. Skipped, with the reason in the result, when no server binaries are found. The
 * cluster and its folder are removed at the end, also when a measurement fails.
 */
import { Pool } from 'pg';
import { firstValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { connectPostgresStore, type PostgresStoreOptions } from '@konserve-rx/postgres';
import { postgresUnavailable, startPostgresServer, type PostgresServer } from '@konserve-rx/postgres/testing';
import { join } from 'node:path';
import type { Contender } from '../contenders/contender';
import { cpuPerOp } from './postgres-cost';
import { cbor, DOC, keyOf, slot } from '../fixture';
import { interleave, observed, promised, type Case, type Measured } from '../harness';
import type { Settings } from '../settings';
import type { Log } from './log';

/** One contender's figures (reads absent for a contender measured on writes only). */
export interface PostgresRow {
  readonly name: string;
  /** A short name for the ratio rows. */
  readonly label: string;
  readonly writeSeq: Measured;
  readonly writeMany: Measured;
  readonly readSeq?: Measured;
  readonly readMany?: Measured;
  /** CPU µs per operation of this process and the server together, by case (`writeSeq`, ...); absent without /proc. */
  readonly cpu?: Readonly<Record<string, number>>;
}

/** The postgres section's result; `skipped` (and no rows) when it could not run here. */
export interface PostgresResult {
  /** Why the section did not run (no server binaries), absent when it ran. */
  readonly skipped?: string;
  /** The server's version. */
  readonly server?: string;
  readonly keys: number;
  readonly rounds: number;
  readonly inFlight: number;
  /** Connections of each contender's pool for reads and plain writes (konserve-rx's has two more, see runPostgres). */
  readonly poolSize: number;
  readonly rows: PostgresRow[];
}

/** The name of konserve-rx's row. */
export const KONSERVE_POSTGRES = 'konserve-rx postgres';
/** The name of the row of a store that does not share changes (no change logged per write): its writes only, its reads being the same. */
export const KONSERVE_POSTGRES_QUIET = 'konserve-rx postgres, shareChanges: false';
/** The name of the raw limit's row: the goals of issue #20 are ratios to it. */
export const RAW_POSTGRES = 'raw limit (pg SELECT / INSERT ON CONFLICT + cbor)';
/** The name of the row of the raw client with prepared statements. */
export const RAW_POSTGRES_PREPARED = 'raw, prepared (the same statements, named)';
/** The row field of each case id prefix. */
const CASES = [
  ['writeSeq', 'write-seq'],
  ['writeMany', 'write-many'],
  ['readSeq', 'read-seq'],
  ['readMany', 'read-many'],
] as const;
/** Connections per contender. */
const POOL_SIZE = 10;
/**
 * Every pool keeps its connections for the whole run: by default node-postgres closes a connection
 * idle for 10 s, and a contender resting while the others run would then start a case on new
 * server processes (cold caches, statements to prepare again), which is not what it costs.
 */
const KEEP_IDLE = { idleTimeoutMillis: 0 };

/** Runs the postgres section on a private cluster, or reports why it was skipped. */
export async function runPostgres(settings: Settings, log: Log): Promise<PostgresResult> {
  const { keys, rounds, inFlight, budget } = settings.postgres;
  const skipped = postgresUnavailable();
  if (skipped !== undefined) {
    log.note(`postgres: PostgreSQL rows skipped: ${skipped}`);
    return { skipped, keys, rounds, inFlight, poolSize: POOL_SIZE, rows: [] };
  }
  log.note(`postgres: starting a private PostgreSQL cluster (${keys} documents)`);
  const server = await startPostgresServer();
  const opened: Contender[] = [];
  try {
    const raw = await openRaw(server, keys, false);
    opened.push(raw);
    const prepared = await openRaw(server, keys, true);
    opened.push(prepared);
    // the store keeps one more connection for its locks and fenced writes, and one listening
    const konserve = await openStore(server, keys, KONSERVE_POSTGRES, { table: 'bench', poolOptions: { max: POOL_SIZE + 2, ...KEEP_IDLE } });
    opened.push(konserve);
    const quiet = await openStore(server, keys, KONSERVE_POSTGRES_QUIET, {
      table: 'bench_quiet',
      shareChanges: false,
      poolOptions: { max: POOL_SIZE + 1, ...KEEP_IDLE },
    });
    opened.push(quiet);
    const full = [konserve, raw, prepared];
    const cases: Case[] = [
      ...[...full, quiet].flatMap((c) => [
        { id: `write-seq/${c.name}`, inFlight: 1, start: c.put },
        { id: `write-many/${c.name}`, inFlight, start: c.put },
      ]),
      ...full.flatMap((c) => [
        { id: `read-seq/${c.name}`, inFlight: 1, start: c.get },
        { id: `read-many/${c.name}`, inFlight, start: c.get },
      ]),
    ];
    let step = 0;
    const m = new Map<string, Measured>();
    for (const x of await interleave(cases, rounds, budget, () => log.progress('postgres', ++step, cases.length * (rounds + 1)))) m.set(x.id, x);
    const byId = new Map(cases.map((c) => [c.id, c]));
    const costs = await cpuPerOp(cases, (id) => Math.max(m.get(id)!.ops, byId.get(id)!.inFlight), Math.min(rounds, 3), join(server.dir, 'data'));
    const labels = new Map([
      [KONSERVE_POSTGRES, 'konserve-rx'],
      [RAW_POSTGRES, 'raw'],
      [RAW_POSTGRES_PREPARED, 'raw, prepared'],
      [KONSERVE_POSTGRES_QUIET, 'konserve-rx, shareChanges: false'],
    ]);
    const rows = [...full, quiet].map(({ name }): PostgresRow => {
      const [readSeq, readMany] = [m.get(`read-seq/${name}`), m.get(`read-many/${name}`)];
      const cpu =
        costs && Object.fromEntries(CASES.flatMap(([field, prefix]) => (costs.has(`${prefix}/${name}`) ? [[field, costs.get(`${prefix}/${name}`)!]] : [])));
      return {
        name,
        ...(cpu ? { cpu } : {}),
        label: labels.get(name) ?? name,
        writeSeq: m.get(`write-seq/${name}`)!,
        writeMany: m.get(`write-many/${name}`)!,
        ...(readSeq ? { readSeq } : {}),
        ...(readMany ? { readMany } : {}),
      };
    });
    return { server: server.version, keys, rounds, inFlight, poolSize: POOL_SIZE, rows };
  } finally {
    for (const c of opened) await c.close().catch(() => undefined);
    await server.stop();
  }
}

/**
 * A raw contender: its own pool, rows of its own table, the document encoded per write and decoded
 * per read; with `prepared`, both statements are named (parsed and planned once per connection).
 */
async function openRaw(server: PostgresServer, keys: number, prepared: boolean): Promise<Contender> {
  const pool = new Pool({ connectionString: server.connectionString, max: POOL_SIZE, ...KEEP_IDLE });
  pool.on('error', () => undefined);
  const table = prepared ? 'raw_prepared' : 'raw';
  await pool.query(`CREATE TABLE ${table} (id text COLLATE "C" PRIMARY KEY, data bytea NOT NULL)`);
  const rawKey = (i: number): string => keyOf(slot(i, keys));
  for (let k = 0; k < keys; k += 500) {
    const ids = Array.from({ length: Math.min(500, keys - k) }, (_, j) => keyOf(k + j));
    await pool.query(`INSERT INTO ${table} (id, data) SELECT * FROM unnest($1::text[], $2::bytea[])`, [ids, ids.map(() => Buffer.from(cbor.encode(DOC)))]);
  }
  const named = (name: string, text: string) => (prepared ? { name, text } : { text });
  const put = named('raw-put', `INSERT INTO ${table} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data`);
  const get = named('raw-get', `SELECT data FROM ${table} WHERE id = $1`);
  return {
    name: prepared ? RAW_POSTGRES_PREPARED : RAW_POSTGRES,
    put: promised((i) => pool.query(put, [rawKey(i), cbor.encode(DOC)])),
    get: promised(async (i) => {
      const r = await pool.query<{ data: Buffer }>(get, [rawKey(i)]);
      if (r.rows[0] === undefined) throw new Error(`raw postgres: ${rawKey(i)} is missing`);
      return cbor.decode(r.rows[0].data);
    }),
    close: async () => {
      await pool.end().catch(() => undefined);
    },
  };
}

/** A konserve-rx store on its own table, preloaded with `keys` documents. */
async function openStore(server: PostgresServer, keys: number, name: string, options: Omit<PostgresStoreOptions, 'connectionString'>): Promise<Contender> {
  const store = await firstValueFrom(connectPostgresStore({ connectionString: server.connectionString, ...options }));
  for (let k = 0; k < keys; k += 500) {
    await firstValueFrom(store.multiAssoc(Array.from({ length: Math.min(500, keys - k) }, (_, j) => [keyOf(k + j), DOC] as const)));
  }
  return storeContender(store, keys, name);
}

function storeContender(store: Store, keys: number, name: string): Contender {
  return {
    name,
    get: observed((i) => store.get(keyOf(slot(i, keys)))),
    put: observed((i) => store.assoc(keyOf(slot(i, keys)), DOC)),
    close: async () => {
      await firstValueFrom(store.close());
    },
  };
}
