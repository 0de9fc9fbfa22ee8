/**
 * Prepared statements: the backing names the statements of its data methods, so the server parses
 * and plans each once per connection. They must keep working when the table under them is dropped
 * and created again on the same connections, and be off with `prepareStatements: false`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createStore } from '@konserve-rx/core';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { lastValueFrom } from 'rxjs';
import { deletePostgresStore, postgresBacking, type PostgresBackingOptions } from '@konserve-rx/postgres';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

let server: PostgresServer;
const pools: Pool[] = [];
const table = (): string => `p${randomBytes(6).toString('hex')}`;

/** A pool of one connection, so what the backing prepared is visible to the next query on the pool. */
function onePool(): Pool {
  const pool = new Pool({ connectionString: server.connectionString, max: 1 });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

async function preparedOn(pool: Pool): Promise<string[]> {
  const r = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
  return r.rows.map((row) => row.name);
}

/** A backing on `pool` that uses no connection of its own (no listener, no lock session). */
async function backingOn(pool: Pool, options: Partial<PostgresBackingOptions> = {}) {
  const b = postgresBacking({ pool, table: table(), shareChanges: false, ...options });
  await b.ready();
  return b;
}

describePostgres('postgres prepared statements', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const p of pools) await p.end();
    await server?.stop();
  });

  it('reads and writes run as named statements, prepared once per connection', async () => {
    const pool = onePool();
    const b = await backingOn(pool);
    await b.write('k', Uint8Array.of(1));
    expect(await b.read('k')).toEqual(Uint8Array.of(1));
    expect(await b.read('k')).toEqual(Uint8Array.of(1));
    const names = await preparedOn(pool);
    expect(names).toHaveLength(2);
    expect(names.every((n) => n.startsWith('konserve-rx-'))).toBe(true);
    await b.close?.();
  });

  it('prepareStatements: false prepares nothing', async () => {
    const pool = onePool();
    const b = await backingOn(pool, { prepareStatements: false });
    await b.write('k', Uint8Array.of(1));
    expect(await b.read('k')).toEqual(Uint8Array.of(1));
    expect(await preparedOn(pool)).toEqual([]);
    await b.close?.();
  });

  it('a store deleted and created again on the same pool works: the statements prepared on its connections are planned anew', async () => {
    // two connections: one for the lock session, one for everything else
    const pool = new Pool({ connectionString: server.connectionString, max: 2 });
    // an idle connection ended by the server's shutdown must not crash the file (as onePool)
    pool.on('error', () => undefined);
    pools.push(pool);
    const t = table();
    const first = createStore(postgresBacking({ pool, table: t, shareChanges: false }));
    await lastValueFrom(first.assoc('k', 'old'));
    expect(await lastValueFrom(first.get('k'))).toBe('old');
    await lastValueFrom(first.close());
    await lastValueFrom(deletePostgresStore({ pool, table: t }), { defaultValue: undefined });
    const again = createStore(postgresBacking({ pool, table: t, shareChanges: false }));
    expect(await lastValueFrom(again.get('k'))).toBeUndefined();
    await lastValueFrom(again.assoc('k', 'new'));
    expect(await lastValueFrom(again.get('k'))).toBe('new');
    await lastValueFrom(again.close());
  });
});
