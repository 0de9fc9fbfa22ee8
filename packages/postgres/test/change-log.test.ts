/**
 * The change log (docs/postgres.md, "Changes across processes"): every write appends its change in
 * its own transaction, readers take what their last snapshot did not see, and writers wake them
 * with one NOTIFY per interval sent outside the writes. Backings and stores on one table stand for
 * processes (each has its own pool, lock session and reader); a raw client plays a writer whose
 * transaction is slow, or whose wake-up never came.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createStore, type ChangeNotice, type KonserveError, type Store } from '@konserve-rx/core';
import { record } from '@konserve-rx/core/testing';
import { createHash, randomBytes } from 'node:crypto';
import { Client, type Notification } from 'pg';
import { lastValueFrom, toArray } from 'rxjs';
import { postgresBacking, type PostgresBacking, type PostgresBackingOptions } from '@konserve-rx/postgres';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

let server: PostgresServer;
const opened: PostgresBacking[] = [];
const clients: Client[] = [];
const table = (): string => `c${randomBytes(6).toString('hex')}`;

async function backing(t: string, options: Partial<PostgresBackingOptions> = {}): Promise<PostgresBacking> {
  const b = postgresBacking({ connectionString: server.connectionString, table: t, ...options });
  opened.push(b);
  await b.ready();
  return b;
}

async function store(t: string, options: Partial<PostgresBackingOptions> = {}): Promise<Store> {
  return createStore(await backing(t, options));
}

async function client(): Promise<Client> {
  const c = new Client({ connectionString: server.connectionString });
  clients.push(c);
  await c.connect();
  return c;
}

/** Appends, as another backing would, the change of an assoc of blob `id` (from origin `raw`, with empty meta). */
function logAssoc(c: Client, t: string, id: string): Promise<unknown> {
  return c.query(`INSERT INTO ${t}_changes (origin, op, id, meta) VALUES ('raw', 'assoc', $1, '')`, [id]);
}

/** Resolves once `count()` answers `n`, asking again every 50 ms for at most 30 s. */
async function eventually(what: string, count: () => Promise<number>, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let last = await count(); last !== n; last = await count()) {
    if (Date.now() > deadline) throw new Error(`${what}: ${last}, expected ${n}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describePostgres('postgres change log', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const b of opened) await b.close?.();
    for (const c of clients) await c.end().catch(() => undefined);
    await server?.stop();
  });

  it('a change whose transaction began before another’s and commits after it is still delivered', async () => {
    const t = table();
    const reader = await backing(t);
    const writer = await backing(t);
    const seen = record(reader.remoteChanges!);
    const slow = await client();
    await slow.query('BEGIN');
    // its transaction id is taken now, before the writer's; it commits after the reader has read past it
    await logAssoc(slow, t, 'slow');
    const notice: ChangeNotice = { op: 'assoc', id: 'fast', meta: new Uint8Array(), deleted: false };
    expect(await writer.writeIfUnlocked!('fast', Uint8Array.of(1), notice)).toBe(true);
    await seen.until(1);
    await slow.query('COMMIT');
    expect((await seen.until(2)).map((n) => n.id)).toEqual(['fast', 'slow']);
    seen.stop();
  });

  it('a change whose wake-up never came arrives by the reader’s own periodic read', async () => {
    const t = table();
    const reader = await backing(t);
    const seen = record(reader.remoteChanges!);
    const raw = await client();
    await logAssoc(raw, t, 'unannounced');
    expect((await seen.until(1)).map((n) => n.id)).toEqual(['unannounced']);
    seen.stop();
  });

  it('writes share one wake-up per changeWakeInterval, sent outside them, and every change still arrives in order', async () => {
    const t = table();
    const reader = await store(t);
    const writer = await store(t, { changeWakeInterval: 3_600_000 });
    const events = record(reader.changes());
    const listening = await client();
    const wakes: Notification[] = [];
    listening.on('notification', (m) => wakes.push(m));
    await listening.query(`LISTEN konserve_${createHash('sha256').update(`public.${t}`).digest('hex').slice(0, 24)}`);
    for (let i = 1; i <= 20; i++) await lastValueFrom(writer.assoc('k', i, { meta: { i } }));
    // an event's meta is the notice's own (its value is read again on arrival, so it may be newer)
    expect((await events.until(20)).map((e) => e.meta.i)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // the first write's wake-up went out; the 19 after it wait for the interval (the reader found them by itself)
    await eventually('wake-ups', async () => (await listening.query('SELECT 1')) && wakes.length, 1);
    await lastValueFrom(writer.close());
    // closing sends the pending one
    await eventually('wake-ups', async () => (await listening.query('SELECT 1')) && wakes.length, 2);
    events.stop();
  });

  it('appends from two stores reach a third in commit order: the events list the log as it was written', async () => {
    const t = table();
    const [a, b, watcher] = [await store(t), await store(t), await store(t)];
    const events = record(watcher.changes());
    // an append event carries its element, which never changes once written (a reread value could be newer)
    const appends = (s: Store, name: string) => async (): Promise<void> => {
      for (let i = 0; i < 40; i++) await lastValueFrom(s.append('log', `${name}${i}`));
    };
    await Promise.all([appends(a, 'a')(), appends(b, 'b')()]);
    const written = await lastValueFrom(a.log('log').pipe(toArray()));
    expect(written).toHaveLength(80);
    expect((await events.until(80)).map((e) => e.value)).toEqual(written);
    events.stop();
  });

  it('a change is one row of columns: op, id, meta as bytes, and a JSON detail only for what an assoc lacks; other backings read it back exactly', async () => {
    const t = table();
    const [writer, reader] = [await backing(t), await backing(t)];
    const seen = record(reader.remoteChanges!);
    const meta = Uint8Array.of(0xa1, 0x61, 0x6b, 0x00, 0xff);
    const notices: ChangeNotice[] = [
      { op: 'assoc', id: 'a', meta, deleted: false },
      { op: 'assocIn', id: 'b', meta, deleted: false, path: ['x', 2] },
      { op: 'append', id: 'c', meta, deleted: false, element: 'c.1.0' },
      { op: 'dissoc', id: 'd', meta, deleted: true },
    ];
    expect(await writer.writeIfUnlocked!('a', Uint8Array.of(1), notices[0])).toBe(true);
    // announced without a lock, so on any pool connection: only the order per key is the commit order
    for (const n of notices.slice(1)) writer.announce!(n);
    expect([...(await seen.until(4))].sort((x, y) => x.id.localeCompare(y.id))).toEqual(notices);
    seen.stop();
    const raw = await client();
    const rows = await raw.query(`SELECT op, id, encode(meta, 'hex') AS meta, detail FROM ${t}_changes ORDER BY id`);
    expect(rows.rows).toEqual([
      { op: 'assoc', id: 'a', meta: 'a1616b00ff', detail: null },
      { op: 'assocIn', id: 'b', meta: 'a1616b00ff', detail: JSON.stringify({ deleted: false, path: ['x', 2] }) },
      { op: 'append', id: 'c', meta: 'a1616b00ff', detail: JSON.stringify({ deleted: false, element: 'c.1.0' }) },
      { op: 'dissoc', id: 'd', meta: 'a1616b00ff', detail: JSON.stringify({ deleted: true }) },
    ]);
  });

  it('a blind write logs any notice exactly: one with detail, and one of another blob than the one written, read back as given', async () => {
    const t = table();
    const [writer, reader] = [await backing(t), await backing(t)];
    const seen = record(reader.remoteChanges!);
    const meta = Uint8Array.of(1, 2, 3);
    const withPath: ChangeNotice = { op: 'assocIn', id: 'p', meta, deleted: false, path: ['a', 0] };
    const elsewhere: ChangeNotice = { op: 'assoc', id: 'other', meta, deleted: false };
    expect(await writer.writeIfUnlocked!('p', Uint8Array.of(1), withPath)).toBe(true);
    expect(await writer.writeIfUnlocked!('q', Uint8Array.of(2), elsewhere)).toBe(true);
    expect(await seen.until(2)).toEqual([withPath, elsewhere]);
    seen.stop();
  });

  it('a row this version cannot read (an unknown op, a malformed detail) is skipped, and the changes after it arrive', async () => {
    const t = table();
    const reader = await backing(t);
    const seen = record(reader.remoteChanges!);
    const raw = await client();
    await raw.query(`INSERT INTO ${t}_changes (origin, op, id, meta) VALUES ('raw', 'someday', 'x', '')`);
    await raw.query(`INSERT INTO ${t}_changes (origin, op, id, meta, detail) VALUES ('raw', 'assocIn', 'y', '', '{"path": {}}')`);
    await logAssoc(raw, t, 'z');
    expect((await seen.until(1)).map((n) => n.id)).toEqual(['z']);
    seen.stop();
  });

  it('a changeRetention or changeWakeInterval that is not a duration fails with ERR_INVALID_ARGUMENT', () => {
    for (const bad of [
      { changeRetention: -1 },
      { changeRetention: Number.NaN },
      { changeWakeInterval: Infinity },
      { changeWakeInterval: '5' as unknown as number },
    ]) {
      const err = (() => {
        try {
          postgresBacking({ connectionString: server.connectionString, table: table(), ...bad });
        } catch (e) {
          return e as KonserveError;
        }
        return undefined;
      })();
      expect(err?.code).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('prunes changes whose transactions ended changeRetention ago', async () => {
    const t = table();
    const s = await store(t, { changeRetention: 100 });
    for (let i = 0; i < 5; i++) await lastValueFrom(s.assoc(`k${i}`, i));
    const raw = await client();
    const count = async (): Promise<number> => (await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}_changes`)).rows[0]!.n;
    expect(await count()).toBeGreaterThan(0);
    await eventually('rows in the change log', count, 0);
  });
});
