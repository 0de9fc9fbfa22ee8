/**
 * keys() on Redis past an entry the server cannot give as bytes: a value of another type (a list)
 * under a blob's key fails GETRANGE with WRONGTYPE. keys() lists the other keys and reports that
 * entry as `ERR_IO` naming its blob id, which `backing.delete` removes.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { KonserveError, Store } from '@konserve-rx/core';
import { addedBlobId, collect, errorOf, run } from '@konserve-rx/core/testing';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectRedisStore } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;

async function listed(store: Store): Promise<{ keys: unknown[]; reported: KonserveError[] }> {
  const reported: KonserveError[] = [];
  const metas = await collect(store.keys({ onDamaged: (e) => reported.push(e) }));
  return { keys: metas.map((m) => m.key).sort(), reported };
}

describeRedis('redis: keys() past unreadable entries', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a list where a blob should be: keys() lists the others and reports ERR_IO naming the blob id; backing.delete removes it', async () => {
    const prefix = `d${randomBytes(6).toString('hex')}:`;
    const store = await firstValueFrom(connectRedisStore({ url: server.url, prefix }));
    await run(store.multiAssoc({ a: 1, b: 2 }));
    const id = await addedBlobId(store, () => run(store.assoc('victim', 3)));
    const raw = new Redis(server.url);
    await raw.del(`${prefix}b:${id}`);
    await raw.rpush(`${prefix}b:${id}`, 'not a blob');
    raw.disconnect();
    expect((await errorOf(store.get('victim'))).code).toBe('ERR_IO');
    const { keys, reported } = await listed(store);
    expect(keys).toEqual(['a', 'b']);
    expect(reported.map((e) => [e.code, e.path])).toEqual([['ERR_IO', id]]);
    await store.backing.delete(reported[0]!.path!);
    expect(await listed(store)).toEqual({ keys: ['a', 'b'], reported: [] });
    await lastValueFrom(store.close(), { defaultValue: undefined });
  });
});
