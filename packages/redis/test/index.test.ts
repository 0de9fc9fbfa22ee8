import { describe, expect, it } from '@jest/globals';
import { registeredBackends } from '@konserve-rx/core';
import * as redis from '@konserve-rx/redis';

describe('@konserve-rx/redis exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(redis).sort()).toEqual(['REDIS_BACKEND_NAME', 'connectRedisStore', 'deleteRedisStore', 'redisBacking', 'redisStoreExists']);
    expect(redis.REDIS_BACKEND_NAME).toBe('redis');
  });

  it('registers its backend name on import', () => {
    expect(registeredBackends()).toContain('redis');
  });

  it('creates a backing without connecting, declaring its capabilities as data', async () => {
    const backing = redis.redisBacking({ url: 'redis://127.0.0.1:1', prefix: 'never:' });
    expect(backing.client.status).toBe('wait');
    expect({ ...backing.capabilities }).toEqual({ syncResults: false, atomicMulti: true, multiProcess: true, durable: false });
    await backing.close?.();
  });
});
