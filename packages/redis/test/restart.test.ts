/**
 * A server crash mid-run: the server (AOF on, `appendfsync always`) is killed (SIGKILL) while a
 * writer keeps going, then started again on the same port and folder (reloading its append-only file). During the outage every
 * operation fails fast with ERR_IO naming the cause; afterwards the store recovers by itself,
 * change events flow again, and every write that was acknowledged is still there.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { KonserveError, Store } from '@konserve-rx/core';
import { errorOf, record } from '@konserve-rx/core/testing';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectRedisStore } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';
import { retryFor } from '../../../test-support/retry';

let server: RedisServer;
const stores: Store[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(prefix: string): Promise<Store> {
  // a short lease, so a lock whose release was lost in the crash frees quickly after the restart
  const store = await firstValueFrom(connectRedisStore({ url: server.url, prefix, lockTtl: 1000, commandTimeout: 2000 }));
  stores.push(store);
  return store;
}

describeRedis('redis backend through a server restart', () => {
  beforeAll(async () => {
    // every acknowledged write survives a crash only when Redis fsyncs before it replies: under
    // Redis's default (everysec) a lagging background fsync lets it acknowledge up to 2 s of
    // writes it has not written yet, and on a loaded machine this test once lost the last one
    server = await startRedisServer({ appendfsync: 'always' });
  });
  afterAll(async () => {
    for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
  });

  it('fails fast with ERR_IO during the outage, recovers afterwards, and loses no acknowledged write', async () => {
    const prefix = `r${randomBytes(6).toString('hex')}:`;
    const writer = await open(prefix);
    const watcher = await open(prefix);
    const acked = new Map<string, number>();
    const failures: KonserveError[] = [];
    let attempts = 0;
    let stop = false;
    const loop = (async () => {
      for (let i = 0; !stop; i++) {
        attempts++;
        try {
          await lastValueFrom(writer.assoc(`k${i}`, i));
          await lastValueFrom(writer.update('count', (n: unknown) => ((n as number | undefined) ?? 0) + 1));
          acked.set(`k${i}`, i);
        } catch (e) {
          failures.push(e as KonserveError);
          await sleep(20);
        }
      }
    })();
    // a wait, not a timing check: every write is fsynced, and a busy disk makes that slow
    await retryFor(20_000, async () => expect(acked.size).toBeGreaterThanOrEqual(30));

    await server.kill();
    const t0 = Date.now();
    const readError = await errorOf(writer.get('k0'));
    const writeError = await errorOf(writer.assoc('during-outage', 1));
    expect(Date.now() - t0).toBeLessThan(1000);
    for (const err of [readError, writeError]) {
      expect(err.code).toBe('ERR_IO');
      expect(err.cause).toBeInstanceOf(Error);
      expect((err.cause as Error).message).toMatch(/^redis \S+ failed: not connected to the server \(connection \w+\)/);
    }
    expect(readError.key).toBe('k0');
    await sleep(300);
    const ackedBeforeRestart = acked.size;

    await server.restart();
    expect(await retryFor(10_000, () => lastValueFrom(writer.get('k0')))).toBe(0);
    await retryFor(10_000, async () => expect(acked.size).toBeGreaterThanOrEqual(ackedBeforeRestart + 10));
    stop = true;
    await loop;

    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e.code === 'ERR_IO')).toBe(true);
    const reader = await open(prefix);
    const stored = await lastValueFrom(reader.multiGet([...acked.keys()]));
    expect(stored).toEqual(new Map(acked));
    // an update whose reply was lost in the crash may have committed: never fewer than acknowledged
    const count = (await lastValueFrom(reader.get('count'))) as number;
    expect(count).toBeGreaterThanOrEqual(acked.size);
    expect(count).toBeLessThanOrEqual(attempts);

    // the watcher's subscriber connection came back and resubscribed: remote events flow again
    const events = record(watcher.changes());
    await retryFor(10_000, async () => {
      await lastValueFrom(writer.assoc('after-restart', 'back'));
      await sleep(100);
      expect(events.values.some((e) => e.key === 'after-restart')).toBe(true);
    });
    expect(events.values.find((e) => e.key === 'after-restart')).toMatchObject({ op: 'assoc', value: 'back' });
    events.stop();
  }, 45_000);
});
