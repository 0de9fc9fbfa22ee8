/**
 * writeIfUnlocked: a blind write of one blob in one statement on any pool connection, made only
 * while no session holds the blob's lock, with its change logged in the same transaction. Two
 * backings on one table stand for two processes (each has its own pool and lock session).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createStore, type ChangeNotice, type KonserveError } from '@konserve-rx/core';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { postgresBacking, type PostgresBacking, type PostgresBackingOptions } from '@konserve-rx/postgres';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

let server: PostgresServer;
const opened: PostgresBacking[] = [];
const table = (): string => `w${randomBytes(6).toString('hex')}`;
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

async function backing(t: string, options: Partial<PostgresBackingOptions> = {}): Promise<PostgresBacking> {
  const b = postgresBacking({ connectionString: server.connectionString, table: t, ...options });
  opened.push(b);
  await b.ready();
  return b;
}

/** Two backings on one new table, as two processes would have. */
async function pair(options: Partial<PostgresBackingOptions> = {}): Promise<[PostgresBacking, PostgresBacking]> {
  const t = table();
  return [await backing(t), await backing(t, options)];
}

function notice(id: string, note: string): ChangeNotice {
  return { op: 'assoc', id, meta: new TextEncoder().encode(note), deleted: false };
}

/** The notices `b` receives from other instances, the first `n` of them. */
function nextNotices(b: PostgresBacking, n: number): Promise<ChangeNotice[]> {
  return firstValueFrom(b.remoteChanges!.pipe(take(n), toArray(), timeout(30_000)));
}

/** The one blob id in `b`'s table (a key's blob id is also the id of its lock). */
async function onlyId(b: PostgresBacking): Promise<string> {
  const ids: string[] = [];
  for await (const id of b.list() as AsyncIterable<string>) ids.push(id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** Resolves once a server session waits for a lock while running a statement that contains `fragment`. */
async function someoneWaitsIn(admin: Client, fragment: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) > 0", [fragment]);
    if (r.rows[0].n > 0) return;
    if (Date.now() > deadline) throw new Error(`no session waits in ${fragment}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describePostgres('postgres writeIfUnlocked', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const b of opened) await b.close?.();
    await server?.stop();
  });

  it('writes the blob and resolves true when nobody holds its lock (a new row and an overwrite)', async () => {
    const [a, b] = await pair();
    expect(await a.writeIfUnlocked!('k', bytes(1, 2, 3))).toBe(true);
    expect(await b.read('k')).toEqual(bytes(1, 2, 3));
    expect(await a.writeIfUnlocked!('k', bytes(4))).toBe(true);
    expect(await b.read('k')).toEqual(bytes(4));
  });

  it('resolves false and writes nothing while another backing holds the lock of lockIdOf(id); writes once it is released', async () => {
    const [a, b] = await pair();
    await a.write('k', bytes(1));
    const release = await b.lock!('k');
    expect(await a.writeIfUnlocked!('k', bytes(2))).toBe(false);
    // an append-log element is guarded by the lock of its log's id
    expect(await a.writeIfUnlocked!('k.1.0', bytes(2))).toBe(false);
    expect(await b.read('k')).toEqual(bytes(1));
    expect(await b.has('k.1.0')).toBe(false);
    await release();
    // the unlock is queued on b's lock session without waiting: a's next write may still see it held
    const deadline = Date.now() + 30_000;
    while (!(await a.writeIfUnlocked!('k', bytes(3)))) expect(Date.now()).toBeLessThan(deadline);
    expect(await b.read('k')).toEqual(bytes(3));
  });

  it('holds the lock until its write has committed: a lock asked meanwhile fails with ERR_LOCKED, and is then granted with the write visible', async () => {
    const [a, b] = await pair({ lockTimeout: 200 });
    await a.write('k', bytes(1));
    // a third session holds the row, so a's statement waits inside its transaction, its lock taken
    const admin = new Client({ connectionString: server.connectionString });
    await admin.connect();
    const rowHolder = new Client({ connectionString: server.connectionString });
    await rowHolder.connect();
    try {
      await rowHolder.query('BEGIN');
      await rowHolder.query(`SELECT 1 FROM ${b.name} WHERE id = 'k' FOR UPDATE`);
      const blind = Promise.resolve(a.writeIfUnlocked!('k', bytes(2)));
      await someoneWaitsIn(admin, 'pg_try_advisory_xact_lock');
      const err = (await Promise.resolve(b.lock!('k')).catch((e: unknown) => e)) as KonserveError;
      expect(err.code).toBe('ERR_LOCKED');
      await rowHolder.query('COMMIT');
      expect(await blind).toBe(true);
      const release = await b.lock!('k');
      expect(await b.read('k')).toEqual(bytes(2));
      await release();
    } finally {
      await rowHolder.end();
      await admin.end();
    }
  });

  it('shares the notice with other backings only when it wrote, one larger than a NOTIFY payload included', async () => {
    const [a, b] = await pair();
    const received = nextNotices(b, 2);
    const release = await b.lock!('k');
    expect(await a.writeIfUnlocked!('k', bytes(1), notice('k', 'refused'))).toBe(false);
    await release();
    const deadline = Date.now() + 30_000;
    while (!(await a.writeIfUnlocked!('k', bytes(2), notice('k', 'small')))) expect(Date.now()).toBeLessThan(deadline);
    const large = 'x'.repeat(10_000);
    expect(await a.writeIfUnlocked!('other', bytes(3), notice('other', large))).toBe(true);
    // changes are read in commit order: a notice of the refused write would have come first
    const [first, second] = await received;
    expect(first).toMatchObject({ op: 'assoc', id: 'k', deleted: false });
    expect(new TextDecoder().decode(first!.meta)).toBe('small');
    expect(second!.id).toBe('other');
    expect(new TextDecoder().decode(second!.meta)).toBe(large);
  });

  it('a Store assoc nobody else locks is one statement on the pool: no lock session is held, unlike update', async () => {
    const pool = new Pool({ connectionString: server.connectionString, max: 4 });
    try {
      const store = createStore(postgresBacking({ pool, table: table(), shareChanges: false }));
      await lastValueFrom(store.assoc('k', 1));
      expect(await lastValueFrom(store.get('k'))).toBe(1);
      expect(pool.totalCount - pool.idleCount).toBe(0);
      await lastValueFrom(store.update('k', (n) => (n as number) + 1));
      // the update took its lock on a session of its own, kept for later locks
      expect(pool.totalCount - pool.idleCount).toBe(1);
      expect(await lastValueFrom(store.get('k'))).toBe(2);
      await lastValueFrom(store.close());
    } finally {
      await pool.end();
    }
  });

  it('a Store assoc while another backing holds the key’s lock waits for it, then writes, and other stores hear of it once', async () => {
    const [a, b] = await pair();
    const store = createStore(a);
    const other = createStore(b);
    await lastValueFrom(store.assoc('k', 'old'));
    const heard = firstValueFrom(other.changes().pipe(take(1), toArray(), timeout(30_000)));
    const release = await b.lock!(await onlyId(b));
    const assoc = lastValueFrom(store.assoc('k', 'new'));
    // the lock is still held: the value cannot have changed
    expect(await lastValueFrom(other.get('k'))).toBe('old');
    await release();
    await assoc;
    expect(await lastValueFrom(other.get('k'))).toBe('new');
    expect((await heard).map((e) => [e.op, e.key])).toEqual([['assoc', 'k']]);
  });

  it('a blob over maxBlobBytes fails with ERR_INVALID_ARGUMENT and nothing is written', async () => {
    const t = table();
    const a = await backing(t, { maxBlobBytes: 10 });
    const err = (await Promise.resolve(a.writeIfUnlocked!('k', new Uint8Array(11))).catch((e: unknown) => e)) as KonserveError;
    expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    expect(await a.has('k')).toBe(false);
  });
});
