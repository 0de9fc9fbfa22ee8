/** The Redis backend: the shared compliance suite on a private redis-server, then what only Redis promises. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { connectStore, createStore, type KonserveError } from '@konserve-rx/core';
import { checkRegistryLifecycle, errorOf, run, runStoreCompliance } from '@konserve-rx/core/testing';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectRedisStore, redisBacking, type RedisBackingOptions } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
const opened: Array<{ close?: () => unknown }> = [];
const prefix = (): string => `t${randomBytes(6).toString('hex')}:`;
const raw = (): Redis => new Redis(server.url, { lazyConnect: true });

describeRedis('redis backend', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const b of opened) await b.close?.();
    await server?.stop();
  });

  runStoreCompliance({ name: 'redis', connect: () => connectRedisStore({ url: server.url, prefix: prefix() }) });

  const backing = async (options: RedisBackingOptions = {}) => {
    const b = redisBacking({ url: server.url, prefix: prefix(), ...options });
    opened.push(b);
    await b.ready();
    return b;
  };
  it('declares its capabilities: atomic batches, many processes, durable only when the AOF is fsynced before every reply', async () => {
    // this file's server runs Redis's default, appendfsync everysec: it may acknowledge writes it has
    // not yet written to the file (when a background fsync lags), so a crash can lose them
    const b = await backing();
    expect({ ...b.capabilities }).toEqual({ syncResults: false, atomicMulti: true, multiProcess: true, durable: false });
    expect((await backing({ durable: true })).capabilities.durable).toBe(true);
    const r = raw();
    await r.config('SET', 'appendfsync', 'always');
    try {
      expect((await backing()).capabilities.durable).toBe(true);
      expect((await backing({ durable: false })).capabilities.durable).toBe(false);
    } finally {
      await r.config('SET', 'appendfsync', 'everysec');
      r.disconnect();
    }
  });

  it('keeps each blob as one binary value under <prefix>b:<id>, and lists ids with SCAN', async () => {
    const p = prefix();
    const store = await firstValueFrom(connectRedisStore({ url: server.url, prefix: p, scanCount: 7 }));
    await lastValueFrom(store.multiAssoc(Array.from({ length: 50 }, (_, i) => [`k${i}`, i] as const)));
    const r = raw();
    const keys = await r.keys(`${p}b:*`);
    expect(keys).toHaveLength(50);
    expect(await r.keys(`${p}*`)).toHaveLength(51);
    expect(await r.exists(`${p}store`)).toBe(1);
    expect(keys.every((k) => /^t[0-9a-f]{12}:b:[0-9a-f]{64}$/.test(k))).toBe(true);
    const bytes = await r.getBuffer(keys[0]!);
    expect(bytes!.length).toBeGreaterThan(28);
    const ids: string[] = [];
    for await (const id of store.backing.list() as AsyncIterable<string>) ids.push(id);
    expect(new Set(ids).size).toBe(50);
    expect(ids.sort()).toEqual(keys.map((k) => k.slice(p.length + 2)).sort());
    r.disconnect();
    await lastValueFrom(store.close());
  });

  it('readHead returns the first bytes with GETRANGE, an empty blob as empty and a missing one as undefined', async () => {
    const b = await backing();
    await b.write('abc', Uint8Array.from([1, 2, 3, 4, 5]));
    await b.write('empty', new Uint8Array(0));
    expect(await b.readHead!('abc', 3)).toEqual(Uint8Array.from([1, 2, 3]));
    expect(await b.readHead!('abc', 99)).toEqual(Uint8Array.from([1, 2, 3, 4, 5]));
    expect(await b.readHead!('empty', 3)).toEqual(new Uint8Array(0));
    expect(await b.readHead!('missing', 3)).toBeUndefined();
  });

  it('commits writeBatch with MULTI/EXEC: another connection never sees half a batch', async () => {
    const p = prefix();
    const b = await backing({ prefix: p });
    const r = raw();
    let stop = false;
    let mixed = 0;
    const reader = (async () => {
      while (!stop) {
        const [x, y] = await r.mgetBuffer(`${p}b:x`, `${p}b:y`);
        if (x && y && !x.equals(y)) mixed++;
      }
    })();
    for (let i = 0; i < 200; i++)
      await b.writeBatch!([
        ['x', Uint8Array.of(i)],
        ['y', Uint8Array.of(i)],
      ]);
    stop = true;
    await reader;
    r.disconnect();
    expect(mixed).toBe(0);
  });

  it('lock: a second holder waits, fails with ERR_LOCKED after lockTimeout, and gets the lock once released', async () => {
    const p = prefix();
    const a = await backing({ prefix: p });
    const b = await backing({ prefix: p, lockTimeout: 150 });
    const release = await a.lock!('id');
    const err = (await Promise.resolve(b.lock!('id')).catch((e: unknown) => e)) as KonserveError;
    expect(err.code).toBe('ERR_LOCKED');
    const waiting = b.lock!('id');
    await release();
    await (
      await waiting
    )();
  });

  it('lock: a lock left by a dead holder expires after its lease and is taken over', async () => {
    const p = prefix();
    const r = raw();
    // the holder's lease, still running: nobody may take the lock
    await r.set(`${p}l:id`, 'dead-holder');
    const b = await backing({ prefix: p });
    let taken = false;
    const locking = Promise.resolve(b.lock!('id')).then((release) => ((taken = true), release));
    // only a wrongly taken lock can end this wait early (never a slow machine)
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(taken).toBe(false);
    // the holder died: its lease runs out, and the waiter takes over
    await r.pexpire(`${p}l:id`, 20);
    const release = await locking;
    expect(await r.get(`${p}l:id`)).not.toBe('dead-holder');
    // the wait is counted for inspectStore(store).backing (and published on konserve-rx:retry)
    expect(b.inspect!()).toEqual({ lockWaits: 1, locksLost: 0 });
    await release();
    expect(await r.exists(`${p}l:id`)).toBe(0);
    r.disconnect();
  });

  it('lock: the holder renews its lease, so a long write keeps others out', async () => {
    const p = prefix();
    // renewed every third of the lease: only an event loop stalled for 600+ ms could let it lapse
    const a = await backing({ prefix: p, lockTtl: 900 });
    const b = await backing({ prefix: p, lockTimeout: 2500 });
    const release = await a.lock!('id');
    expect(((await Promise.resolve(b.lock!('id')).catch((e: unknown) => e)) as KonserveError).code).toBe('ERR_LOCKED');
    await release();
  });

  it('registers the name "redis" for connectStore', async () => {
    const store = await firstValueFrom(connectStore({ backend: 'redis', url: server.url, prefix: prefix() }));
    expect(store.backing.capabilities.multiProcess).toBe(true);
    await lastValueFrom(store.close());
  });

  it('lifecycle by config: create, exists, open, deleteStore removes every key of the prefix', async () => {
    const config = { backend: 'redis', url: server.url, prefix: prefix() };
    await checkRegistryLifecycle(config);
    const r = raw();
    expect(await r.keys(`${config.prefix}*`)).toEqual([]);
    r.disconnect();
  });

  it('a server error reply (a blob key holding a hash) fails with ERR_IO saying the server answered', async () => {
    const p = prefix();
    const b = await backing({ prefix: p });
    const r = raw();
    await r.hset(`${p}b:odd`, 'f', 'v');
    const err = (await Promise.resolve(b.read('odd')).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^redis GET failed: the server answered with an error: WRONGTYPE/);
    const store = createStore(b);
    await run(store.assoc('k', 1));
    const [id] = (await r.keys(`${p}b:*`)).filter((k) => !k.endsWith(':odd'));
    await r.del(id!);
    await r.hset(id!, 'f', 'v');
    const viaStore = await errorOf(store.get('k'));
    expect(viaStore.code).toBe('ERR_IO');
    expect(viaStore.key).toBe('k');
    expect((viaStore.cause as Error).message).toMatch(/WRONGTYPE/);
    r.disconnect();
  });

  it('fails to connect with ERR_IO, the connection error as cause, when no server listens', async () => {
    const t0 = Date.now();
    const err = (await firstValueFrom(connectRedisStore({ url: 'redis://127.0.0.1:1', prefix: prefix() })).catch((e: unknown) => e)) as KonserveError;
    expect(err.code).toBe('ERR_IO');
    expect(err.cause).toBeInstanceOf(Error);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('works over a client given by the caller, and leaves it open on close', async () => {
    const client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
    const b = redisBacking({ client, prefix: prefix() });
    await b.ready();
    const store = createStore(b);
    await lastValueFrom(store.assoc('k', 'v'));
    expect(await lastValueFrom(store.get('k'))).toBe('v');
    await lastValueFrom(store.close());
    expect(client.status).toBe('ready');
    client.disconnect();
  });
});
