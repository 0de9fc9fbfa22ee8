/** @konserve-rx/redis/testing: a private redis-server for tests and benchmarks. */
export { REDIS_SERVER, redisUnavailable, startRedisServer } from './redis-server';
export type { RedisServer, RedisServerOptions } from './redis-server';
