/** The PostgreSQL backing: blobs as `bytea` rows, keyset listings, one-statement batches, advisory locks with fenced writes, changes shared through a change log. */
import { randomBytes } from 'node:crypto';
import { checkOptions, invalidArgument, type BackingCapabilities, type BackingStore, type BatchEntry, type ChangeNotice } from '@konserve-rx/core';
import type { Pool, QueryResult } from 'pg';
import { Subject, asyncScheduler } from 'rxjs';
import { pgFailure } from './internal/errors';
import { changeFeed } from './internal/change-feed';
import { listen, type Listener } from './internal/listener';
import { lockSessions } from './internal/lock-session';
import { noticeValues } from './internal/notice-codec';
import { pooled } from './internal/pool';
import { storeSql, type StoreSql } from './internal/sql';
import { waker } from './internal/wake';
import { writeIfUnlocked } from './internal/write-if-unlocked';
import { POSTGRES_BACKING_OPTIONS, type PostgresBackingOptions } from './options';

/** A BackingStore over PostgreSQL, with a way to connect ahead of the first operation. */
export interface PostgresBacking extends BackingStore {
  /** The node-postgres pool queries go through (the given one, or the one made from `connectionString`). */
  readonly pool: Pool;
  /** `schema.table` of the store, as given. */
  readonly name: string;
  /**
   * Connects (once; again after a failed attempt), creates the tables when missing and starts
   * listening for changes; resolves when done. Every method calls it itself, but changes made by
   * other processes are only seen from the moment it has resolved.
   */
  ready(): Promise<void>;
}

/**
 * Creates a backing that keeps each blob as one `bytea` row of `schema.table`, so every process
 * using the table shares one store: writers serialize through advisory locks whose writes are
 * fenced by the lock's connection, batches commit in one statement, and every write is appended to
 * a change log that the other processes read when woken.
 * @param options - table (and schema), connectionString or pool, lock and timeout settings
 * @returns a PostgresBacking with `atomicMulti` and `multiProcess` (and `durable` when the server syncs commits)
 * @example
 * ```ts
 * const backing = postgresBacking({ connectionString: 'postgres://app@db/app', table: 'kv' });
 * await backing.ready();
 * const store = createStore(backing);
 * ```
 */
export function postgresBacking(options: PostgresBackingOptions): PostgresBacking {
  checkOptions('postgresBacking', options, POSTGRES_BACKING_OPTIONS);
  // a negative retention would prune changes nobody has read yet
  const retention = duration('changeRetention', options.changeRetention, 60_000);
  const wakeInterval = duration('changeWakeInterval', options.changeWakeInterval, 50);
  const sql = storeSql(options.table, options.schema, options.prepareStatements ?? true);
  const origin = randomBytes(8).toString('hex');
  const remote = new Subject<ChangeNotice>();
  const share = options.shareChanges ?? true;
  const maxBlob = options.maxBlobBytes ?? 64 * 1024 * 1024;
  const db = pooled(options, sql);
  const { pool } = db;
  const locks = lockSessions(pool, sql, { timeout: options.lockTimeout ?? 30_000, scheduler: options.scheduler ?? asyncScheduler });
  let listener: Listener | undefined;
  let open = false;
  let opening: Promise<void> | undefined;

  const feed = changeFeed(pool, sql, origin, retention, (n) => remote.next(n));
  // sent on the listening connection: no pool round trip, and no other server process to wake for this one's own wake-up
  const wakes = waker((query, values) => (listener === undefined ? pool.query(query, values) : listener.send(query, values)), sql, origin, wakeInterval);
  const start = async (): Promise<void> => {
    await db.ready();
    if (share && listener === undefined) {
      await feed.start();
      // a wake-up from this backing's own writes finds nothing to read: its changes are left out
      const l = listen(pool, sql.channel, (from) => from !== origin && feed.wake(), feed.wake);
      try {
        await l.listening;
        listener = l;
      } catch (e) {
        l.close();
        throw e;
      }
    }
  };
  const ready = (): Promise<void> | undefined =>
    open
      ? undefined
      : (opening ??= start()
          .then(() => void (open = true))
          .finally(() => (opening = undefined)));
  // `query` is an async function (it never throws, it rejects); once open, it starts at once
  const call = <T>(what: string, query: () => Promise<T>): Promise<T> => {
    const pending = ready();
    return (pending === undefined ? query() : pending.then(query)).catch((e: unknown) => {
      throw pgFailure(e, what);
    });
  };
  const checkSize = (id: string, data: Uint8Array): void => {
    if (data.byteLength > maxBlob) throw invalidArgument(`blob ${id} is ${data.byteLength} bytes, over the PostgreSQL backing's maxBlobBytes (${maxBlob})`);
  };
  const capabilities: BackingCapabilities = {
    syncResults: false,
    atomicMulti: true,
    multiProcess: true,
    get durable() {
      return options.durable ?? db.durable();
    },
  };

  return {
    pool,
    name: sql.name,
    capabilities,
    ready: async () => {
      try {
        await ready();
      } catch (e) {
        throw pgFailure(e, 'connect');
      }
    },
    read: (id) => call('read', async () => bytesOf(await pool.query(sql.read, [id]))),
    readHead: (id, length) => call('readHead', async () => bytesOf(await pool.query(sql.readHead, [id, length]))),
    write: (id, data) =>
      call('write', async () => {
        checkSize(id, data);
        await locks.writerFor([id])(sql.write, [id, bufferOf(data)]);
      }),
    writeBatch: (entries) =>
      call('writeBatch', async () => {
        const last = lastOfEach(entries);
        for (const [id, data] of last) if (data !== null) checkSize(id, data);
        const gone = [...last].filter(([, d]) => d === null).map(([id]) => id);
        const put = [...last].filter((e): e is [string, Uint8Array] => e[1] !== null);
        await locks.writerFor([...last.keys()])(sql.writeBatch, [gone, put.map(([id]) => id), put.map(([, d]) => bufferOf(d))]);
      }),
    writeIfUnlocked: (id, data, notice) =>
      call('writeIfUnlocked', async () => {
        checkSize(id, data);
        const wrote = await writeIfUnlocked(pool, sql, id, bufferOf(data), share && notice !== undefined ? [origin, ...noticeValues(notice)] : undefined);
        if (wrote && share && notice !== undefined) wakes.written();
        return wrote;
      }),
    delete: (id) => call('delete', async () => ((await locks.writerFor([id])(sql.delete, [id])).rowCount ?? 0) > 0),
    has: (id) => call('has', async () => ((await pool.query(sql.has, [id])).rowCount ?? 0) > 0),
    list: () => listIds(pool, sql, options.listPageSize ?? 1000, ready),
    listPrefix: (prefix) => listIds(pool, sql, options.listPageSize ?? 1000, ready, prefix),
    lock: (id) => call('lock', () => locks.lock(id)),
    ...(share
      ? {
          announce: (notice: ChangeNotice) => {
            // queued on the lock session before the unlock, so per key the changes of several
            // processes are logged in commit order; best effort: a failure drops the change, not the write
            const values = [origin, ...noticeValues(notice)];
            (locks.queueOnSession(sql.logChange, values) ?? pool.query(sql.logChange, values)).then(wakes.written, () => undefined);
          },
          remoteChanges: remote.asObservable(),
        }
      : {}),
    close: async () => {
      remote.complete();
      feed.close();
      listener?.close();
      await wakes.close();
      await locks.close();
      await db.close();
    },
  };
}

/**
 * Streams every blob id (those starting with `prefix`, when given), one keyset page of `pageSize`
 * ids per query (never the whole table at once). In the "C" collation the ids that start with a
 * prefix are exactly those between it and the prefix with its last character incremented: an
 * index range, never a scan of other scopes' rows.
 */
async function* listIds(pool: Pool, sql: StoreSql, pageSize: number, ready: () => Promise<void> | undefined, prefix?: string): AsyncGenerator<string> {
  const end = prefix === undefined ? undefined : `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
  try {
    await ready();
    for (let after = prefix ?? ''; ;) {
      const page = await pool.query<{ id: string }>(
        end === undefined ? sql.listPage : sql.listRangePage,
        end === undefined ? [after, pageSize] : [after, pageSize, end],
      );
      for (const row of page.rows) yield row.id;
      if (page.rows.length < pageSize) return;
      after = page.rows[page.rows.length - 1]!.id;
    }
  } catch (e) {
    throw pgFailure(e, 'list');
  }
}

/** A time option in ms: `fallback` when absent; errors with `ERR_INVALID_ARGUMENT` unless a finite number ≥ 0. */
function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(`postgresBacking: ${name} must be a finite number of milliseconds, at least 0, got ${String(value)}`);
  }
  return value;
}

/** The last entry of each id: applying a batch in order leaves exactly these. */
function lastOfEach(entries: readonly BatchEntry[]): Map<string, Uint8Array | null> {
  const last = new Map<string, Uint8Array | null>();
  for (const [id, data] of entries) {
    last.delete(id);
    last.set(id, data);
  }
  return last;
}

/** A plain Uint8Array view of the `data` column of the first row, or `undefined` without a row. */
function bytesOf(result: QueryResult): Uint8Array | undefined {
  const buffer = (result.rows[0] as { data: Buffer } | undefined)?.data;
  return buffer === undefined ? undefined : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function bufferOf(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
