/** The Redis backing: blobs as binary string values, SCAN listings, MULTI batches, leased locks and pub/sub changes. */
import { randomBytes } from 'node:crypto';
import {
  checkOptions,
  announcedBy,
  decodeChangeNotice,
  encodeChangeNotice,
  encodeChangeNoticeAround,
  invalidArgument,
  isKonserveError,
  lockIdOf,
  publishDiagnostic,
  type BackingCapabilities,
  type BackingStore,
  type ChangeNotice,
  type DeletionNotice,
} from '@konserve-rx/core';
import type { Redis } from 'ioredis';
import { Subject, asyncScheduler } from 'rxjs';
import { connection } from './internal/connection';
import { redisFailure } from './internal/errors';
import { keyspace } from './internal/keyspace';
import type { HeldLock } from './internal/fenced-write';
import { acquireLock } from './internal/redis-lock';
import { scanIds } from './internal/scan';
import { blobWrites, bufferOf, dropTime } from './internal/writes';
import { writeIfUnlocked } from './internal/write-if-unlocked';
import { deleteIfUnlocked } from './internal/delete-if-unlocked';
import { REDIS_BACKING_OPTIONS, type RedisBackingOptions } from './options';

/** A BackingStore over Redis, with a way to connect ahead of the first operation. */
export interface RedisBacking extends BackingStore {
  /** The ioredis client commands go through (the given one, or the one made from `url`). */
  readonly client: Redis;
  /**
   * Connects (once; again after a failed attempt), reads the server's AOF setting and subscribes
   * to the change channel; resolves when done. Every method calls it itself, but changes made by
   * other processes are only seen from the moment it has resolved.
   */
  ready(): Promise<void>;
}

/**
 * Creates a backing that keeps each blob as one binary Redis value under `prefix`, so several
 * processes and machines can share one store: writers serialize through Redis locks, batches
 * commit with MULTI/EXEC, writes under a lock are fenced by its token (a writer whose lease
 * expired fails with `ERR_LOCK_LOST`), an uncontended single-blob write or delete (`writeIfUnlocked`,
 * `deleteIfUnlocked`) is one script that writes or deletes and publishes unless the lock is held,
 * and writes are announced on a pub/sub channel.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param options - url or client, prefix, lock and timeout settings
 * @returns a RedisBacking with `atomicMulti` and `multiProcess` (and `durable` when the server
 *   fsyncs its append-only file before every reply)
 * @example
 * ```ts
 * const backing = redisBacking({ url: 'redis://127.0.0.1:6379', prefix: 'app:' });
 * await backing.ready();
 * const store = createStore(backing);
 * ```
 */
export function redisBacking(options: RedisBackingOptions = {}): RedisBacking {
  checkOptions('redisBacking', options, REDIS_BACKING_OPTIONS);
  const keys = keyspace(options.prefix ?? 'konserve:');
  const origin = randomBytes(8).toString('hex');
  const remote = new Subject<ChangeNotice>();
  const share = options.shareChanges ?? true;
  const conn = connection(options, share ? { channel: keys.channel, onMessage: (m) => receive(m) } : undefined, keys.marker);
  const { client } = conn;
  // the locks held now, by lock id: writes to their blobs are fenced by their tokens
  const held = new Map<string, HeldLock>();
  const grace = expiryGraceOf(options.expiryGrace);
  const writes = blobWrites(client, keys.blob, held, grace);
  const lockOptions = { ttl: options.lockTtl ?? 10_000, timeout: options.lockTimeout ?? 30_000, scheduler: options.scheduler ?? asyncScheduler };

  const noticeBytes = (notice: ChangeNotice): Buffer => bufferOf(encodeChangeNotice(origin, notice));
  const noticeAround = (notice: DeletionNotice): { channel: string; before: Buffer; after: Buffer } => {
    const { before, after } = encodeChangeNoticeAround(origin, notice);
    return { channel: keys.channel, before: bufferOf(before), after: bufferOf(after) };
  };
  const ownNotice = announcedBy(origin);
  const receive = (message: Buffer): void => {
    // Redis delivers a notice to the sender's subscriber too: this instance's own are recognised
    // by their first bytes (core's announcedBy) and dropped before any decoding
    if (ownNotice(message)) return;
    const decoded = decodeChangeNotice(message);
    if (decoded !== undefined && decoded.origin !== origin) remote.next(decoded.notice);
  };
  // every command waits for the first connection, then fails fast (no offline queue) on outages
  // what the backing did on its own, for inspectStore (and, for waits, the diagnostics channel)
  const counters = { lockWaits: 0, locksLost: 0 };
  const failure = (what: string, e: unknown): unknown => {
    if (isKonserveError(e, 'ERR_LOCK_LOST')) counters.locksLost++;
    return redisFailure(e, what, client);
  };
  // promises, not an async function: once connected, a command is one promise and one reaction
  // (an awaited `ready()` and an async wrapper cost a get two more promises and microtask turns);
  // `map` turns the reply into the result in that same reaction
  const call = <R, T = R>(what: string, command: () => Promise<R>, map?: (reply: R) => T): Promise<T> => {
    const opening = conn.ready();
    let running: Promise<R>;
    try {
      // this tick's commands go to the socket together (connection.ts, coalescer)
      if (opening === undefined) conn.coalesce();
      running = opening === undefined ? command() : opening.then(command);
    } catch (e) {
      return Promise.reject(failure(what, e));
    }
    return running.then(map as ((reply: R) => T) | undefined, (e: unknown) => {
      throw failure(what, e);
    });
  };
  const capabilities: BackingCapabilities = {
    syncResults: false,
    atomicMulti: true,
    multiProcess: true,
    get durable() {
      return options.durable ?? conn.durable();
    },
  };

  return {
    client,
    capabilities,
    ready: async () => {
      try {
        await conn.ready();
      } catch (e) {
        throw redisFailure(e, 'connect', client);
      }
    },
    read: (id) => call('GET', () => client.getBuffer(keys.blob(id)), bytesOf),
    readHead: (id, length) => call('GETRANGE', () => readHead(client, keys.blob(id), length)),
    write: (id, data, expiresAt) => call('SET', () => writes.write(id, data, expiresAt)),
    writeIfUnlocked: (id, data, notice, expiresAt) =>
      call('writeIfUnlocked', () =>
        writeIfUnlocked(
          client,
          keys.lock(lockIdOf(id)),
          keys.blob(id),
          bufferOf(data),
          dropTime(expiresAt, grace),
          share && notice !== undefined ? { channel: keys.channel, message: noticeBytes(notice) } : undefined,
        ),
      ),
    deleteIfUnlocked: (id, notice) =>
      call(
        'deleteIfUnlocked',
        () => deleteIfUnlocked(client, keys.lock(lockIdOf(id)), keys.blob(id), share && notice !== undefined ? noticeAround(notice) : undefined),
        (deleted) => (deleted === false || deleted === undefined ? deleted : bytesOf(deleted)),
      ),
    writeBatch: (entries) => call('MULTI/EXEC', () => writes.writeBatch(entries)),
    delete: (id) => call('DEL', () => writes.delete(id)),
    has: (id) => call('EXISTS', async () => (await client.exists(keys.blob(id))) > 0),
    list: () => wrapErrors(scanIds(client, keys, options.scanCount ?? 1000, conn.ready), client),
    listPrefix: (prefix) => wrapErrors(scanIds(client, keys, options.scanCount ?? 1000, conn.ready, prefix), client),
    lock: (id) =>
      call('lock', async () => {
        const lock = await acquireLock(client, keys.lock(id), id, lockOptions);
        if (lock.attempts > 1) {
          counters.lockWaits++;
          publishDiagnostic('retry', { backend: 'redis', action: 'lock-wait', id, attempts: lock.attempts });
        }
        held.set(id, lock);
        return () => {
          // forgotten before the release: no write after it is fenced by a token being deleted
          if (held.get(id) === lock) held.delete(id);
          return lock.release();
        };
      }),
    inspect: () => ({ ...counters }),
    ...(share
      ? {
          announce: (notice: ChangeNotice) => {
            // queued on the command connection before the lock release, so per key the
            // notices of several processes go out in commit order; delivery is best effort
            if (client.status === 'ready') client.publish(keys.channel, noticeBytes(notice)).catch(() => undefined);
          },
          remoteChanges: remote.asObservable(),
        }
      : {}),
    close: async () => {
      remote.complete();
      await conn.close();
    },
  };
}

/**
 * At most `length` first bytes of one version of the value, or `undefined` when missing. GETRANGE
 * answers '' for a missing key and for an empty value alike; the second look asks EXISTS and
 * GETRANGE again in one MULTI/EXEC, so a key created or deleted meanwhile cannot pair the answer
 * of one version with the existence of another (an empty "blob" that is really a new one).
 */
async function readHead(client: Redis, key: string, length: number): Promise<Uint8Array | undefined> {
  if (length <= 0) return (await client.exists(key)) === 0 ? undefined : new Uint8Array(0);
  const head = await client.getrangeBuffer(key, 0, length - 1);
  if (head.length > 0) return bytesOf(head);
  const results = await client
    .multi()
    .exists(key)
    .getrangeBuffer(key, 0, length - 1)
    .exec();
  if (results === null) throw new Error('MULTI/EXEC was aborted');
  const failed = results.find(([err]) => err !== null);
  if (failed) throw failed[0];
  return results[0]![1] === 0 ? undefined : bytesOf(results[1]![1] as Buffer);
}

/** The `expiryGrace` option, checked: a finite number of milliseconds, 0 or more. */
function expiryGraceOf(grace: number | undefined): number {
  if (grace === undefined) return 60_000;
  if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0)
    throw invalidArgument(`redisBacking: expiryGrace is a finite number of milliseconds, 0 or more, got ${String(grace)}`);
  return grace;
}

/** Maps the errors of an async listing like those of the other methods. */
async function* wrapErrors(ids: AsyncGenerator<string>, client: Redis): AsyncGenerator<string> {
  try {
    yield* ids;
  } catch (e) {
    throw redisFailure(e, 'SCAN', client);
  }
}

/** A plain Uint8Array view of a reply (core copies with `slice`, which on a Buffer would not copy). */
function bytesOf(buffer: Buffer | null): Uint8Array | undefined {
  return buffer === null ? undefined : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
