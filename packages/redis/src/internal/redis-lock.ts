/**
 * Cross-process locks (docs/redis.md, "Lock protocol"): `SET <prefix>l:<id> <token> NX PX ttl`,
 * retried with jittered backoff while someone else holds it; the holder renews the lease every
 * ttl/3 and releases with a compare-and-delete script, so it never deletes a lock it lost. A lease
 * still expires when the holder stalls longer than the ttl (frozen, paused, blocked event loop):
 * the writes made under it are fenced by its token (fenced-write.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SchedulerLike } from 'rxjs';
import { locked, type ReleaseLock } from '@konserve-rx/core';
import type { HeldLock } from './fenced-write';

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

/** A lock taken by {@link acquireLock}: what fenced writes check (see fenced-write.ts), and its release. */
export interface AcquiredLock extends HeldLock {
  /** Stops renewing and deletes the lock if it still holds our token; never rejects, idempotent. */
  readonly release: ReleaseLock;
  /** How many times it asked before it got the lock (1: at once). */
  readonly attempts: number;
}

/**
 * Takes the lock `key` (for blob `id`), waiting while another writer holds it.
 * @returns the lock with its token and release (a lock the release cannot delete expires after `ttl`).
 * Errors with `ERR_LOCKED` after `timeout` ms, and with the client's error when Redis fails.
 */
export async function acquireLock(client: Redis, key: string, id: string, options: LockOptions): Promise<AcquiredLock> {
  const token = randomBytes(16).toString('hex');
  const deadline = options.scheduler.now() + options.timeout;
  for (let attempt = 0; ; attempt++) {
    if ((await client.set(key, token, 'PX', options.ttl, 'NX')) === 'OK')
      return { id, key, token, release: hold(client, key, token, options), attempts: attempt + 1 };
    if (options.scheduler.now() >= deadline) throw locked(id, options.timeout);
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
