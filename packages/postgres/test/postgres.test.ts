/** The PostgreSQL backend: the shared compliance suite on a private cluster, then what only PostgreSQL promises. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { connectStore, createStore, type KonserveError } from '@konserve-rx/core';
import { checkRegistryLifecycle, errorOf, run, runStoreCompliance } from '@konserve-rx/core/testing';
import { Client, Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectPostgresStore, postgresBacking, type PostgresBackingOptions } from '@konserve-rx/postgres';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

let server: PostgresServer;
const opened: Array<{ close?: () => unknown }> = [];
const table = (): string => `t${randomBytes(6).toString('hex')}`;

/** A plain client on the test server, for looking at what the backing stored. */
async function raw(): Promise<Client> {
  const c = new Client({ connectionString: server.connectionString });
  await c.connect();
  return c;
}

describePostgres('postgres backend', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const b of opened) await b.close?.();
    await server?.stop();
  });

  // one warm pool for the suite's many short-lived stores (each takes a lock session and a listener from it)
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: server.connectionString, max: 40 });
    pool.on('error', () => undefined);
  });
  afterAll(() => pool?.end());
  runStoreCompliance({ name: 'postgres', connect: () => connectPostgresStore({ pool, table: table() }) });

  const backing = async (options: Partial<PostgresBackingOptions> = {}) => {
    const b = postgresBacking({ connectionString: server.connectionString, table: table(), ...options });
    opened.push(b);
    await b.ready();
    return b;
  };

  it('declares its capabilities: atomic batches, many processes, durable as the server syncs commits', async () => {
    const b = await backing();
    // the test cluster runs with fsync off
    expect({ ...b.capabilities }).toEqual({ syncResults: false, atomicMulti: true, multiProcess: true, durable: false });
    expect((await backing({ durable: true })).capabilities.durable).toBe(true);
  });

  it('keeps each blob as one bytea row of the table, and lists ids in keyset pages', async () => {
    const t = table();
    const store = await firstValueFrom(connectPostgresStore({ connectionString: server.connectionString, table: t, listPageSize: 7 }));
    await lastValueFrom(store.multiAssoc(Array.from({ length: 50 }, (_, i) => [`k${i}`, i] as const)));
    const r = await raw();
    const rows = (await r.query<{ id: string; data: Buffer }>(`SELECT id, data FROM public.${t}`)).rows;
    expect(rows).toHaveLength(50);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.id) && row.data.length > 28)).toBe(true);
    const ids: string[] = [];
    for await (const id of store.backing.list() as AsyncIterable<string>) ids.push(id);
    expect(ids).toHaveLength(50);
    expect(ids.sort()).toEqual(rows.map((row) => row.id).sort());
    await r.end();
    await lastValueFrom(store.close());
  });

  it('creates the schema and table on first connect', async () => {
    const schema = `s${randomBytes(4).toString('hex')}`;
    const b = await backing({ schema, table: 'Mixed Case"Name' });
    await b.write('x', Uint8Array.of(1));
    const r = await raw();
    const found = await r.query(`SELECT count(*)::int AS n FROM ${schema}."Mixed Case""Name"`);
    expect(found.rows[0].n).toBe(1);
    await r.end();
  });

  it('readHead returns the first bytes with substring, an empty blob as empty and a missing one as undefined', async () => {
    const b = await backing();
    await b.write('abc', Uint8Array.from([1, 2, 3, 4, 5]));
    await b.write('empty', new Uint8Array(0));
    expect(await b.readHead!('abc', 3)).toEqual(Uint8Array.from([1, 2, 3]));
    expect(await b.readHead!('abc', 99)).toEqual(Uint8Array.from([1, 2, 3, 4, 5]));
    expect(await b.readHead!('empty', 3)).toEqual(new Uint8Array(0));
    expect(await b.readHead!('missing', 3)).toBeUndefined();
  });

  it('commits writeBatch in one statement: another connection never sees half a batch; the last entry of an id wins', async () => {
    const t = table();
    const b = await backing({ table: t });
    const r = await raw();
    let stop = false;
    let mixed = 0;
    const reader = (async () => {
      while (!stop) {
        const rows = (await r.query<{ data: Buffer }>(`SELECT data FROM public.${t} WHERE id IN ('x', 'y')`)).rows;
        if (rows.length === 1 || (rows.length === 2 && !rows[0]!.data.equals(rows[1]!.data))) mixed++;
      }
    })();
    for (let i = 0; i < 100; i++)
      await b.writeBatch!([
        ['x', Uint8Array.of(i)],
        ['y', Uint8Array.of(i)],
      ]);
    stop = true;
    await reader;
    await r.end();
    expect(mixed).toBe(0);
    await b.writeBatch!([
      ['z', Uint8Array.of(1)],
      ['z', null],
      ['w', null],
      ['w', Uint8Array.of(2)],
    ]);
    expect(await b.has('z')).toBe(false);
    expect(await b.read('w')).toEqual(Uint8Array.of(2));
  });

  it('a blob over maxBlobBytes fails with ERR_INVALID_ARGUMENT and nothing is written', async () => {
    const store = createStore(await backing({ maxBlobBytes: 1000 }));
    const err = await errorOf(store.bassoc('big', new Uint8Array(5000)));
    expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    expect(await lastValueFrom(store.exists('big'))).toBe(false);
    expect(await lastValueFrom(store.keys(), { defaultValue: undefined })).toBeUndefined();
  });

  it('lock: a second holder waits, fails with ERR_LOCKED after lockTimeout, and gets the lock once released', async () => {
    const t = table();
    const a = await backing({ table: t });
    const b = await backing({ table: t, lockTimeout: 150 });
    const release = await a.lock!('id');
    const err = (await Promise.resolve(b.lock!('id')).catch((e: unknown) => e)) as KonserveError;
    expect(err.code).toBe('ERR_LOCKED');
    const waiting = b.lock!('id');
    await release();
    await (
      await waiting
    )();
  });

  it('lock: a lock held by a connection that ends is free at once (the server releases session locks)', async () => {
    const t = table();
    const a = postgresBacking({ connectionString: server.connectionString, table: t });
    await a.ready();
    await a.lock!('id');
    await a.close?.();
    const b = await backing({ table: t, lockTimeout: 5000 });
    await (
      await b.lock!('id')
    )();
  });

  it('registers the name "postgres" for connectStore', async () => {
    const store = await firstValueFrom(connectStore({ backend: 'postgres', connectionString: server.connectionString, table: table() }));
    expect(store.backing.capabilities.multiProcess).toBe(true);
    await lastValueFrom(store.close());
  });

  it('lifecycle by config: create, exists, open, deleteStore drops the tables', async () => {
    const config = { backend: 'postgres', connectionString: server.connectionString, table: table() };
    await checkRegistryLifecycle(config);
    const r = await raw();
    const left = await r.query(`SELECT to_regclass('public.${config.table}') AS t, to_regclass('public.${config.table}_changes') AS n`);
    expect(left.rows[0]).toEqual({ t: null, n: null });
    await r.end();
  });

  it('a server error (the table dropped under an open store) fails with ERR_IO saying the server answered', async () => {
    const t = table();
    const store = createStore(await backing({ table: t }));
    await run(store.assoc('k', 1));
    const r = await raw();
    await r.query(`DROP TABLE public.${t}`);
    await r.end();
    const err = await errorOf(store.get('k'));
    expect(err.code).toBe('ERR_IO');
    expect(err.key).toBe('k');
    expect((err.cause as Error).message).toMatch(/^postgres read failed: the server answered with an error \(SQLSTATE 42P01\)/);
  });

  it('fails to connect with ERR_IO, the connection error as cause, when no server listens', async () => {
    const t0 = Date.now();
    const err = (await firstValueFrom(connectPostgresStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none', table: table() })).catch(
      (e: unknown) => e,
    )) as KonserveError;
    expect(err.code).toBe('ERR_IO');
    expect(err.cause).toBeInstanceOf(Error);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('works over a pool given by the caller, and leaves it open on close', async () => {
    const pool = new Pool({ connectionString: server.connectionString });
    const store = await firstValueFrom(connectPostgresStore({ pool, table: table() }));
    await lastValueFrom(store.assoc('k', 'v'));
    expect(await lastValueFrom(store.get('k'))).toBe('v');
    await lastValueFrom(store.close());
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });
});
