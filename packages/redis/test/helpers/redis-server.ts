/**
 * A private redis-server per test file: started on a free port with its own folder, AOF on and
 * RDB snapshots off, stopped afterwards. Without the binary the Redis tests are skipped with the
 * reason in their name, except under CI=true, where that is a failure.
 */
import { describe, it } from '@jest/globals';
import { REDIS_SERVER, redisUnavailable } from '@konserve-rx/redis/testing';

export { startRedisServer } from '@konserve-rx/redis/testing';
export type { RedisServer } from '@konserve-rx/redis/testing';

/** Whether the redis-server binary runs here. */
export const redisAvailable = redisUnavailable() === undefined;

/**
 * Registers `body` as a describe block that needs redis-server: skipped with the reason in its
 * name when the binary is missing, or a failing test instead when `CI=true`.
 */
export function describeRedis(title: string, body: () => void): void {
  if (redisAvailable) return describe(title, body);
  if (process.env.CI === 'true') {
    return describe(title, () => {
      it('needs a redis-server binary on PATH (required when CI=true)', () => {
        throw new Error(`${REDIS_SERVER} not found: install it (apt-get install redis-server) or set REDIS_SERVER`);
      });
    });
  }
  describe.skip(`${title} (skipped: no ${REDIS_SERVER} on PATH; install it, e.g. apt-get install redis-server)`, body);
}
