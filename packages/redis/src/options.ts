/** The options of {@link redisBacking} and what each one trades off. */
import { optionNames } from '@konserve-rx/core';
import type { Redis, RedisOptions } from 'ioredis';
import type { SchedulerLike } from 'rxjs';

/** Options of `redisBacking` and `connectRedisStore`. */
export interface RedisBackingOptions {
  /**
   * Where the server is, as a Redis URL (`redis://[user:pass@]host:port[/db]`, `rediss://` for TLS).
   * Ignored when `client` is given.
   * @default 'redis://127.0.0.1:6379'
   */
  url?: string;
  /**
   * An ioredis client to use instead of connecting from `url`. The backing never closes it (it
   * closes only the subscriber connection it duplicates from it). Give it
   * `enableOfflineQueue: false` and `maxRetriesPerRequest: 0` to fail fast during outages.
   * @default undefined (a client is made from `url`)
   */
  client?: Redis;
  /**
   * Extra ioredis options for the client made from `url` (TLS, auth, ...); they override the
   * fail-fast defaults (`enableOfflineQueue: false`, `maxRetriesPerRequest: 0`, short reconnects).
   * @default {}
   */
  redisOptions?: RedisOptions;
  /**
   * Prefix of every Redis key and of the change channel of this store: stores with different
   * prefixes on one server never see each other's data or events.
   * @default 'konserve:'
   */
  prefix?: string;
  /**
   * A command without a reply after this many milliseconds fails with `ERR_IO` (guards against a
   * server that stops answering without closing the connection), and so do the commands queued
   * behind it. One watchdog timer per connection checks four times per timeout, so a command fails
   * within 1¼ timeouts (with `redisOptions.enableOfflineQueue: true`, ioredis's timer per command
   * instead, which also sees commands waiting unsent). Applies to the client made from `url`, not
   * to a given `client`. A finite number above 0, else `ERR_INVALID_ARGUMENT`.
   * @default 5000
   */
  commandTimeout?: number;
  /**
   * Lease of a cross-process lock, in milliseconds. The holder renews it every third of the lease,
   * so it only expires when its process died or lost the server; waiters then take over.
   * @default 10000
   */
  lockTtl?: number;
  /**
   * How long a writer waits for another process's lock before failing with `ERR_LOCKED`, in ms.
   * @default 30000
   */
  lockTimeout?: number;
  /**
   * Share change events with other processes over Redis pub/sub (`PUBLISH` after each write and
   * one subscriber connection per store). Without it `changes()`/`watch()` see local writes only.
   * @default true
   */
  shareChanges?: boolean;
  /**
   * Overrides `capabilities.durable`. Every acknowledged write survives a crash of the server only
   * with the append-only file on and fsynced before each reply (`appendfsync always`); under
   * `everysec` a lagging fsync lets Redis acknowledge up to 2 s of writes it has not yet written.
   * Some managed servers hide `CONFIG`, so this lets you state it.
   * @default detected on connect: true when `CONFIG GET` reports appendonly 'yes' and appendfsync 'always'
   */
  durable?: boolean;
  /**
   * Keys requested per `SCAN` round trip while listing; a hint to the server, not a limit.
   * @default 1000
   */
  scanCount?: number;
  /**
   * How long after a key's `expiresAt` (the `ttl` of a write) Redis drops its blob itself
   * (`SET ... PXAT`), in milliseconds. The Store treats the key as missing from `expiresAt` on by
   * its own clock; Redis counts by the server's clock, so the grace covers the difference between
   * the two and Redis never drops a key the Store still serves. Memory comes back without a `sweep`.
   * @default 60000
   */
  expiryGrace?: number;
  /**
   * The scheduler lock waits (backoff, lease renewal) run on.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/** Every option name of {@link RedisBackingOptions}. */
export const REDIS_BACKING_OPTIONS = optionNames<RedisBackingOptions>({
  url: true,
  client: true,
  redisOptions: true,
  prefix: true,
  commandTimeout: true,
  lockTtl: true,
  lockTimeout: true,
  shareChanges: true,
  durable: true,
  scanCount: true,
  expiryGrace: true,
  scheduler: true,
});
