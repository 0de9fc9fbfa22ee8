/**
 * Several processes on one Redis store: child processes run the built package against the
 * test's private server; locks keep their updates from losing each other, and their writes
 * reach this process's changes() and watch() through pub/sub.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Store, WriteEvent } from '@konserve-rx/core';
import { record } from '@konserve-rx/core/testing';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectRedisStore } from '@konserve-rx/redis';
import { ensureBuilt, startChild } from './helpers/children';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
const stores: Store[] = [];
const prefix = (): string => `x${randomBytes(6).toString('hex')}:`;

async function open(p: string): Promise<Store> {
  const store = await firstValueFrom(connectRedisStore({ url: server.url, prefix: p }));
  stores.push(store);
  return store;
}

describeRedis('redis backend across processes', () => {
  beforeAll(async () => {
    ensureBuilt();
    server = await startRedisServer();
  }, 120_000);
  afterAll(async () => {
    for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
  });

  it('two processes each doing 200 update increments of one key end at exactly 400', async () => {
    const p = prefix();
    const children = [0, 1].map(() => startChild('incrementer.js', [server.url, p, 'counter', '200']));
    await Promise.all(children.map((c) => c.waitFor('ready')));
    for (const c of children) c.send('go');
    const results = await Promise.all(children.map((c) => c.done));
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const store = await open(p);
    expect(await lastValueFrom(store.get('counter'))).toBe(400);
  }, 60_000);

  it('a store in this process sees the WriteEvents of writes made by a child process', async () => {
    const p = prefix();
    const store = await open(p);
    await lastValueFrom(store.assoc('shared-gone', 'soon deleted'));
    const events = record(store.changes());
    const watched = record(store.watch('shared'));
    await watched.until(1);
    const child = startChild('writer.js', [server.url, p, 'shared', JSON.stringify({ from: 'child', n: 1 })]);
    expect((await child.done).code).toBe(0);
    await events.until(3);
    const [assoc, append, dissoc] = events.values as WriteEvent[];
    expect(assoc).toEqual({
      op: 'assoc',
      key: 'shared',
      value: { from: 'child', n: 1 },
      meta: { key: 'shared', type: 'value', lastWrite: expect.any(Date), by: 'child' },
    });
    expect(append).toMatchObject({ op: 'append', key: 'shared-log', value: 'elem', meta: { type: 'append-log' } });
    expect(dissoc).toMatchObject({ op: 'dissoc', key: 'shared-gone', meta: { key: 'shared-gone' } });
    expect(dissoc!.value).toBeUndefined();
    expect(await watched.until(2)).toEqual([undefined, { from: 'child', n: 1 }]);
    events.stop();
    watched.stop();
  }, 60_000);

  it('on one prefix, a store hears its own write once and the other instance’s through pub/sub', async () => {
    // own notices are dropped by their first bytes before decoding: a slip would either repeat
    // `mine` before `theirs` (own notice not dropped) or lose `theirs` (others' notices dropped)
    const p = prefix();
    const a = await open(p);
    const b = await open(p);
    const heardByA = record(a.changes());
    const heardByB = record(b.changes());
    await lastValueFrom(a.assoc('mine', 1));
    await lastValueFrom(b.assoc('theirs', 2));
    expect(((await heardByA.until(2)) as WriteEvent[]).map((e) => [e.key, e.value])).toEqual([
      ['mine', 1],
      ['theirs', 2],
    ]);
    expect(((await heardByB.until(2)) as WriteEvent[]).map((e) => e.key).sort()).toEqual(['mine', 'theirs']);
    // a third write from b arrives after both: nothing else was queued for a in between
    await lastValueFrom(b.assoc('last', 3));
    expect(((await heardByA.until(3)) as WriteEvent[]).map((e) => e.key)).toEqual(['mine', 'theirs', 'last']);
    heardByA.stop();
    heardByB.stop();
  });

  it('stores with different prefixes never see each other’s events', async () => {
    const a = await open(prefix());
    const b = await open(prefix());
    const seen = record(b.changes());
    const mine = record(a.changes());
    await lastValueFrom(a.assoc('k', 1));
    await mine.until(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.values).toEqual([]);
    seen.stop();
    mine.stop();
  });
});
