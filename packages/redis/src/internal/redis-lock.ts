/**
 * Cross-process locks (docs/redis.md, "Lock protocol"): `SET <prefix>l:<id> <token> NX PX ttl`,
 * retried with jittered backoff while someone else holds it; the holder renews the lease every
 * ttl/3 and releases with a compare-and-delete script, so it never deletes a lock it lost.
 */
import { randomBytes } from 'node:crypto';
import type { ReleaseLock } from '@konserve-rx/core';
import type { Redis } from 'ioredis';
import type { SchedulerLike } from 'rxjs';
import { lockTimeout } from './errors';

/** Deletes the lock only when it still holds our token. */
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
/** Extends the lease only when the lock still holds our token. */
const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

/** Longest wait between two attempts, in ms (before jitter). */
const MAX_BACKOFF_MS = 32;

/** How locks are taken. */
export interface LockOptions {
  readonly ttl: number;
  readonly timeout: number;
  readonly scheduler: SchedulerLike;
}

/**
 * Takes the lock `key` (for blob `id`), waiting while another writer holds it.
 * @returns a release function that never rejects (a lock it cannot delete expires after `ttl`).
 * Errors with `ERR_LOCKED` after `timeout` ms, and with the client's error when Redis fails.
 */
export async function acquireLock(client: Redis, key: string, id: string, options: LockOptions): Promise<ReleaseLock> {
  const token = randomBytes(16).toString('hex');
  const deadline = options.scheduler.now() + options.timeout;
  for (let attempt = 0; ; attempt++) {
    if ((await client.set(key, token, 'PX', options.ttl, 'NX')) === 'OK') return hold(client, key, token, options);
    if (options.scheduler.now() >= deadline) throw lockTimeout(id, options.timeout);
    // jitter keeps waiters of several processes from retrying in lockstep
    await sleep(options.scheduler, Math.min(2 ** attempt, MAX_BACKOFF_MS) * (0.5 + Math.random()));
  }
}

/** Renews the lease until released; the release is idempotent. */
function hold(client: Redis, key: string, token: string, options: LockOptions): ReleaseLock {
  const period = Math.max(10, Math.floor(options.ttl / 3));
  const renewal = options.scheduler.schedule(function renew() {
    client.eval(RENEW, 1, key, token, options.ttl).catch(() => undefined);
    this.schedule(undefined, period);
  }, period);
  let released: Promise<void> | undefined;
  return () =>
    (released ??= (async () => {
      renewal.unsubscribe();
      await client.eval(RELEASE, 1, key, token).catch(() => undefined);
    })());
}

function sleep(scheduler: SchedulerLike, ms: number): Promise<void> {
  return new Promise((resolve) => scheduler.schedule(() => resolve(), ms));
}
