/** @konserve-rx/redis: the Redis backend, shared by many processes, with cross-process change streams. */
import './register';
export { redisBacking } from './redis-backing';
export type { RedisBacking } from './redis-backing';
export type { RedisBackingOptions } from './options';
export { connectRedisStore, REDIS_BACKEND_NAME } from './connect';
export type { RedisStoreOptions } from './connect';
export { deleteRedisStore, redisStoreExists } from './lifecycle';
