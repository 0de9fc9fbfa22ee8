/** The 'redis' entry of core's backend registry: importing the package registers it. */
import { backendOptions, registerBackend } from '@konserve-rx/core';
import { connectRedisStore, REDIS_BACKEND_NAME, type RedisStoreOptions } from './connect';
import { deleteRedisStore, redisStoreExists } from './lifecycle';
import type { RedisBackingOptions } from './options';

// importing the package makes `connectStore({ backend: 'redis', url, prefix })` work, with the
// lifecycle hooks: a store exists from its first connection until deleteStore removes its keys
registerBackend(REDIS_BACKEND_NAME, {
  connect: (config) => connectRedisStore(backendOptions(config) as RedisStoreOptions),
  exists: (config) => redisStoreExists(config as RedisBackingOptions),
  delete: (config) => deleteRedisStore(config as RedisBackingOptions),
});
