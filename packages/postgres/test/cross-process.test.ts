/**
 * Several processes on one PostgreSQL store: child processes run the built package against the
 * test's private cluster; advisory locks keep their updates from losing each other, and their
 * writes reach this process's changes() and watch() through the change log (a change larger than
 * a NOTIFY payload could carry included).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Store, WriteEvent } from '@konserve-rx/core';
import { record } from '@konserve-rx/core/testing';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectPostgresStore } from '@konserve-rx/postgres';
import { ensureBuilt, startChild } from './helpers/children';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

let server: PostgresServer;
const stores: Store[] = [];
const table = (): string => `x${randomBytes(6).toString('hex')}`;

async function open(t: string): Promise<Store> {
  const store = await firstValueFrom(connectPostgresStore({ connectionString: server.connectionString, table: t }));
  stores.push(store);
  return store;
}

describePostgres('postgres backend across processes', () => {
  beforeAll(async () => {
    ensureBuilt();
    server = await startPostgresServer();
  }, 120_000);
  afterAll(async () => {
    for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
  });

  it('four processes each doing 200 update increments of one key end at exactly 800', async () => {
    const t = table();
    // the table exists before the children race to connect (they would also create it safely)
    await open(t);
    const children = [0, 1, 2, 3].map(() => startChild('incrementer.js', [server.connectionString, t, 'counter', '200']));
    await Promise.all(children.map((c) => c.waitFor('ready')));
    for (const c of children) c.send('go');
    const results = await Promise.all(children.map((c) => c.done));
    expect(results.map((r) => [r.code, r.stderr])).toEqual([0, 1, 2, 3].map(() => [0, '']));
    const store = await open(t);
    expect(await lastValueFrom(store.get('counter'))).toBe(800);
  }, 120_000);

  it('a store in this process sees the WriteEvents of writes made by a child process, a change larger than a NOTIFY payload included', async () => {
    const t = table();
    const store = await open(t);
    await lastValueFrom(store.assoc('shared-gone', 'soon deleted'));
    const events = record(store.changes());
    const watched = record(store.watch('shared'));
    await watched.until(1);
    const child = startChild('writer.js', [server.connectionString, t, 'shared', JSON.stringify({ from: 'child', n: 1 })]);
    const exit = await child.done;
    expect([exit.code, exit.stderr]).toEqual([0, '']);
    await events.until(4);
    // the order is promised per key only: a dissoc's change is logged after it completes (best
    // effort, before its lock is released), so the child's next write, of another key, may commit first
    const byKey = new Map((events.values as WriteEvent[]).map((e) => [e.key, e]));
    expect(events.values).toHaveLength(4);
    const [assoc, append, dissoc, big] = ['shared', 'shared-log', 'shared-gone', 'shared-big'].map((k) => byKey.get(k));
    expect(assoc).toEqual({
      op: 'assoc',
      key: 'shared',
      value: { from: 'child', n: 1 },
      meta: { key: 'shared', type: 'value', lastWrite: expect.any(Date), by: 'child' },
    });
    expect(append).toMatchObject({ op: 'append', key: 'shared-log', value: 'elem', meta: { type: 'append-log' } });
    expect(dissoc).toMatchObject({ op: 'dissoc', key: 'shared-gone', meta: { key: 'shared-gone' } });
    expect(dissoc!.value).toBeUndefined();
    expect(big).toMatchObject({ op: 'assoc', key: 'shared-big', value: 'large notice', meta: { note: 'x'.repeat(10000) } });
    expect(await watched.until(2)).toEqual([undefined, { from: 'child', n: 1 }]);
    events.stop();
    watched.stop();
  }, 120_000);

  it('stores in different tables never see each other’s events', async () => {
    const [ta, tb] = [table(), table()];
    const [a, a2, b, b2] = [await open(ta), await open(ta), await open(tb), await open(tb)];
    const seen = record(b.changes());
    const arrived = record(a2.changes());
    await lastValueFrom(a.assoc('k', 1));
    await arrived.until(1);
    // changes are read in commit order: had b read a's log, a's event would come before b2's
    await lastValueFrom(b2.assoc('own', 1));
    await seen.until(1);
    expect(seen.values.map((e) => e.key)).toEqual(['own']);
    seen.stop();
    arrived.stop();
  });
});
