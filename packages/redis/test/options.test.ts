/** Unknown options of the Redis factories: refused with ERR_INVALID_ARGUMENT naming the option, before any connection is made. */
import { describe, expect, it } from '@jest/globals';
import { connectStore } from '@konserve-rx/core';
import { errorOf } from '@konserve-rx/core/testing';
import { connectRedisStore, redisBacking, REDIS_BACKEND_NAME } from '@konserve-rx/redis';

describe('redis: unknown options are refused with ERR_INVALID_ARGUMENT', () => {
  it('redisBacking throws, naming the option', () => {
    let err: unknown;
    try {
      redisBacking({ prefx: 'app:', redisOptions: { lazyConnect: true } } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((err as Error).message).toContain("'prefx'");
  });

  it('connectRedisStore and connectStore fail as an error notification', async () => {
    expect((await errorOf(connectRedisStore({ url: 'redis://127.0.0.1:1', lockTTL: 5 } as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectRedisStore('redis://127.0.0.1:1' as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectStore({ backend: REDIS_BACKEND_NAME, url: 'redis://127.0.0.1:1', compresor: 1 }))).code).toBe('ERR_INVALID_ARGUMENT');
  });
});
