/**
 * Native expiry: a blob whose key expires is stored with `SET ... PXAT` at `expiresAt` plus the
 * backing's `expiryGrace`, on every write path (plain, fenced under a lock, batched), so Redis
 * reclaims it without a sweep. Checked on the real server: its PEXPIRETIME, and a key it dropped.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createStore, type Store, type StoreOptions } from '@konserve-rx/core';
import { run } from '@konserve-rx/core/testing';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { redisBacking, type RedisBacking, type RedisBackingOptions } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
let raw: Redis;
const opened: Store[] = [];
const GRACE = 5_000;

describeRedis('redis native expiry', () => {
  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
  });
  afterAll(async () => {
    for (const s of opened) await run(s.close());
    raw?.disconnect();
    await server?.stop();
  });

  const open = async (options: RedisBackingOptions = {}, storeOptions: StoreOptions = {}): Promise<{ store: Store; backing: RedisBacking; prefix: string }> => {
    const prefix = `t${randomBytes(6).toString('hex')}:`;
    const backing = redisBacking({ url: server.url, prefix, expiryGrace: GRACE, ...options });
    await backing.ready();
    const store = createStore(backing, storeOptions);
    opened.push(store);
    return { store, backing, prefix };
  };
  /** The Redis key of the only blob under `prefix` that `write` adds. */
  const blobKey = async (prefix: string, write: () => Promise<unknown>): Promise<string> => {
    const before = new Set(await raw.keys(`${prefix}b:*`));
    await write();
    const added = (await raw.keys(`${prefix}b:*`)).filter((k) => !before.has(k));
    expect(added).toHaveLength(1);
    return added[0]!;
  };

  it('a write with a ttl sets PXAT at expiresAt + expiryGrace (through the lock, fenced); one without sets none', async () => {
    const { store, prefix } = await open();
    let expiresAt = 0;
    const key = await blobKey(prefix, async () => (expiresAt = (await run(store.assoc('k', 1, { ttl: 60_000 }))).expiresAt!));
    expect(await raw.pexpiretime(key)).toBe(expiresAt + GRACE);
    const plain = await blobKey(prefix, () => run(store.assoc('plain', 1)));
    expect(await raw.pexpiretime(plain)).toBe(-1);
    // a rewrite without a ttl clears the native expiry too
    await run(store.assoc('k', 2));
    expect(await raw.pexpiretime(key)).toBe(-1);
  });

  it('update keeps the native expiry along with expiresAt; multiAssoc sets it on every entry of its batch', async () => {
    const { store, prefix } = await open();
    const key = await blobKey(prefix, () => run(store.update('u', { ttl: 60_000, fn: () => 1 })));
    const expiresAt = (await run(store.getMeta('u')))!.expiresAt!;
    await run(store.update('u', (n: number) => n + 1));
    expect(await raw.pexpiretime(key)).toBe(expiresAt + GRACE);
    await run(
      store.multiAssoc(
        [
          ['m1', 1],
          ['m2', 2],
        ],
        { ttl: 30_000 },
      ),
    );
    const metas = [(await run(store.getMeta('m1')))!, (await run(store.getMeta('m2')))!];
    const times = await Promise.all((await raw.keys(`${prefix}b:*`)).map((k) => raw.pexpiretime(k)));
    for (const meta of metas) expect(times).toContain(meta.expiresAt! + GRACE);
  });

  it('the backing without a lock (plain SET and MULTI/EXEC) sets PXAT as well', async () => {
    const { backing, prefix } = await open();
    const at = Date.now() + 60_000;
    await backing.write('a'.repeat(64), new Uint8Array([1]), at);
    await backing.writeBatch!([
      ['b'.repeat(64), new Uint8Array([2]), at],
      ['c'.repeat(64), new Uint8Array([3])],
    ]);
    expect(await raw.pexpiretime(`${prefix}b:${'a'.repeat(64)}`)).toBe(at + GRACE);
    expect(await raw.pexpiretime(`${prefix}b:${'b'.repeat(64)}`)).toBe(at + GRACE);
    expect(await raw.pexpiretime(`${prefix}b:${'c'.repeat(64)}`)).toBe(-1);
  });

  it('Redis drops an expired blob itself, without a sweep', async () => {
    // the store's clock an hour behind the server's: its expiry is already past for Redis
    const { store, prefix } = await open({ expiryGrace: 0 }, { now: () => Date.now() - 3_600_000 });
    await run(store.assoc('stays', 1));
    await run(store.assoc('dropped', 1, { ttl: 1000 }));
    const keys = await raw.keys(`${prefix}b:*`);
    expect(keys).toHaveLength(1);
    expect(await run(store.get('stays'))).toBe(1);
  });

  it('expiryGrace must be a finite number of milliseconds, 0 or more', () => {
    for (const expiryGrace of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      let code: unknown;
      try {
        redisBacking({ url: server.url, expiryGrace });
      } catch (e) {
        code = (e as { code?: unknown }).code;
      }
      expect(code).toBe('ERR_INVALID_ARGUMENT');
    }
  });
});
