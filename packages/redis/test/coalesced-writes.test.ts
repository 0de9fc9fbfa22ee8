/**
 * Operations issued together reach Redis in one write (connection.ts, coalescer): the commands of
 * one tick are corked on the socket and flushed together. The server counts the read events it
 * handles (INFO stats, `total_reads_processed`); a batch that arrived in one write is one read.
 * Without the coalescing each command was a write of its own (41 and 23 reads here before); with
 * it the batch lands in the socket at once, and the server's first read takes all of it.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Store } from '@konserve-rx/core';
import { Redis } from 'ioredis';
import { firstValueFrom, forkJoin } from 'rxjs';
import { connectRedisStore } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
let admin: Redis;
let store: Store;

async function readsProcessed(): Promise<number> {
  const stats = await admin.info('stats');
  const line = stats.split('\r\n').find((l) => l.startsWith('total_reads_processed:'));
  if (line === undefined) throw new Error('this redis-server does not report total_reads_processed');
  return Number(line.split(':')[1]);
}

describeRedis('redis commands of one tick in one write', () => {
  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url, { lazyConnect: true });
    await admin.connect();
    store = await firstValueFrom(connectRedisStore({ url: server.url, prefix: 'co:', shareChanges: false }));
  });
  afterAll(async () => {
    await firstValueFrom(store.close(), { defaultValue: undefined });
    admin.disconnect();
    await server.stop();
  });

  it('sends 40 assocs started in one tick in one write: the server reads them at once', async () => {
    // small values: the 40 commands (about 7 KB) fit one 16 KB read buffer of the server
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    // the first write loads the script into the fresh server (EVAL after NOSCRIPT)
    await firstValueFrom(store.assoc('warm', 0));
    const before = await readsProcessed();
    await firstValueFrom(forkJoin(keys.map((k, i) => store.assoc(k, { i }))));
    // the INFO command of the second count is a read of its own; the bound leaves one read spare
    expect((await readsProcessed()) - before).toBeLessThanOrEqual(3);
    expect(await firstValueFrom(store.get('k39'))).toEqual({ i: 39 });
  });

  it('sends 40 gets started in one tick in one write', async () => {
    const before = await readsProcessed();
    const values = await firstValueFrom(forkJoin(Array.from({ length: 40 }, (_, i) => store.get(`k${i}`))));
    expect(values[7]).toEqual({ i: 7 });
    expect((await readsProcessed()) - before).toBeLessThanOrEqual(3);
  });
});
