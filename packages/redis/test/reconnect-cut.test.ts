/**
 * A connection lost again right after it reconnected. A TCP relay in front of the real server
 * passes everything through, until it is told to cut: then each new connection gets the server's
 * replies up to the ready check's (INFO) and is closed right after. A sharing store's subscriber
 * then reconnects into the cut again and again. No connection may leave an unhandled rejection
 * behind (Node ends the process on one by default), and once connections hold again the store
 * reads and receives other processes' changes.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { record } from '@konserve-rx/core/testing';
import { connectRedisStore } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';
import { retryFor } from '../../../test-support/retry';

let server: RedisServer;
const stores: Store[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A relay to the server that, while `cutting`, closes each connection right after the ready check's reply. */
interface Relay {
  readonly url: string;
  cutting: boolean;
  /** Connections closed by the cut so far. */
  cuts: number;
  /** Closes every connection now (the clients then reconnect). */
  dropAll(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

async function relayTo(port: number): Promise<Relay> {
  const clients = new Set<Socket>();
  const relay: Relay = {
    url: '',
    cutting: false,
    cuts: 0,
    dropAll: () => {
      for (const c of clients) c.destroy();
    },
    close: () => {
      // a listener closes once its connections have: end them
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const c of clients) c.destroy();
      return closed;
    },
  };
  const listener: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    clients.add(client);
    client.on('close', () => {
      clients.delete(client);
      upstream.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    const cut = relay.cutting;
    upstream.on('data', (reply: Buffer) => {
      client.write(reply);
      if (cut && reply.includes('redis_version')) {
        relay.cuts++;
        client.end();
      }
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return Object.assign(relay, { url: `redis://127.0.0.1:${(listener.address() as AddressInfo).port}` });
}

describeRedis('redis backend whose connections are lost again right after reconnecting', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
  });

  it('leaves no unhandled rejection, and reads and receives changes again once connections hold', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const relay = await relayTo(server.port);
    try {
      const prefix = `c${randomBytes(6).toString('hex')}:`;
      const watcher = await firstValueFrom(connectRedisStore({ url: relay.url, prefix }));
      const writer = await firstValueFrom(connectRedisStore({ url: server.url, prefix }));
      stores.push(watcher, writer);
      await firstValueFrom(writer.assoc('a', 1));

      relay.cutting = true;
      relay.dropAll();
      // both connections of the watcher reconnect into the cut, more than once
      await retryFor(20_000, async () => expect(relay.cuts).toBeGreaterThanOrEqual(4));
      relay.cutting = false;
      await retryFor(20_000, async () => expect(await firstValueFrom(watcher.get('a'))).toBe(1));

      // the subscriber subscribed again: another process's write reaches the watcher
      const events = record(watcher.changes());
      await retryFor(20_000, async () => {
        await firstValueFrom(writer.assoc('b', 2));
        await sleep(100);
        expect(events.values.some((e) => e.key === 'b')).toBe(true);
      });
      events.stop();
      // a turn for rejections of the last reconnects to be reported
      await sleep(100);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await relay.close();
    }
  }, 60_000);
});
