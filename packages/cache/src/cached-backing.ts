/**
 * The LRU cache wrapper: whole blobs (and known absences) kept in memory in front of any backing.
 * Writes are write-through: the cache is updated only after the inner write succeeded, and
 * dropped when it failed, so the cache never holds bytes the inner backing does not.
 */
import { LRUCache } from 'lru-cache';
import {
  attemptMaybe,
  checkOptions,
  mapMaybe,
  ownedBytes,
  wrapBacking,
  type BackingStore,
  type BatchEntry,
  type MaybePromise,
  type ReleaseLock,
} from '@konserve-rx/core';
import type { Subscription } from 'rxjs';
import { bytesHandle } from './internal/bytes-handle';
import { rethrow } from './internal/maybe';
import { positiveInteger, requireBacking } from './internal/options';
import { readTickets } from './internal/read-tickets';
import { CACHED_BACKING_OPTIONS, DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, type CachedBacking, type CachedBackingOptions, type CacheStats } from './options';

/** Marks an id known to be absent from the inner backing (compared by identity, so a real empty blob is not it). */
const ABSENT = new Uint8Array(0);

/**
 * Puts an LRU cache of whole blobs in front of `inner`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param inner - the backing to cache
 * @param options - `maxEntries` and `maxBytes` bounds
 * @returns a {@link CachedBacking} with `inner`'s capabilities, answering synchronously whenever
 * `inner` does, plus `stats()` hit/miss counters; errors with `ERR_INVALID_ARGUMENT` (thrown at
 * once) for a bound that is not a positive integer
 * @example
 * ```ts
 * const backing = cachedBacking(fileBacking({ path: './data' }), { maxEntries: 1000 });
 * const store = createStore(backing);
 * // ... later: backing.stats().hitRate
 * ```
 */
export function cachedBacking(inner: BackingStore, options: CachedBackingOptions = {}): CachedBacking {
  requireBacking('cachedBacking inner', inner);
  checkOptions('cachedBacking', options, CACHED_BACKING_OPTIONS);
  const maxEntries = positiveInteger('maxEntries', options.maxEntries, DEFAULT_MAX_ENTRIES);
  const maxBytes = positiveInteger('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  const counts = { hits: 0, misses: 0, evictions: 0 };
  const lru = new LRUCache<string, Uint8Array>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (bytes) => Math.max(1, bytes.length),
    dispose: (_bytes, _id, reason) => void (reason === 'evict' && counts.evictions++),
  });
  const tickets = readTickets();
  const forget = (id: string): void => {
    lru.delete(id);
    tickets.invalidate(id);
  };
  const remember = (id: string, bytes: Uint8Array): void => {
    tickets.invalidate(id);
    lru.set(id, ownedBytes(bytes));
  };
  /** Looks `id` up, counting a hit or a miss; on a miss runs `load` and caches what `keep` picks. */
  const lookup = <T>(id: string, hit: (bytes: Uint8Array) => T, load: () => MaybePromise<T>, keep: (result: T) => Uint8Array | undefined): MaybePromise<T> => {
    const cached = lru.get(id);
    if (cached !== undefined) {
      counts.hits++;
      return hit(cached);
    }
    counts.misses++;
    const ticket = tickets.take(id);
    return attemptMaybe(
      load,
      (result) => {
        const bytes = keep(result);
        // its own copy when it is a view into a shared buffer: the entry's size is what it holds
        if (bytes !== undefined && ticket.valid()) lru.set(id, ownedBytes(bytes));
        ticket.release();
        return result;
      },
      (e) => (ticket.release(), rethrow(e)),
    );
  };
  // a write's outcome is unknown when it fails, so the entry is dropped, never kept
  const written = <T>(ids: readonly string[], call: () => MaybePromise<T>, ok: (result: T) => void): MaybePromise<T> => {
    for (const id of ids) forget(id);
    return attemptMaybe(
      call,
      (result) => (ok(result), result),
      (e) => (ids.forEach(forget), rethrow(e)),
    );
  };
  const present = (bytes: Uint8Array): Uint8Array | undefined => (bytes === ABSENT ? undefined : bytes);
  const remote: Subscription | undefined = inner.remoteChanges?.subscribe((notice) => {
    // another instance wrote this key: the cached bytes may be stale
    forget(notice.id);
    if (notice.element !== undefined) forget(notice.element);
  });

  const backing: CachedBacking = {
    inner,
    capabilities: { ...inner.capabilities },
    read: (id) =>
      lookup(
        id,
        present,
        () => inner.read(id),
        (bytes) => bytes ?? ABSENT,
      ),
    readHead: (id, length) =>
      lookup(
        id,
        (bytes) => present(bytes)?.subarray(0, length),
        () => (inner.readHead ? inner.readHead(id, length) : mapMaybe(inner.read(id), (b) => b?.subarray(0, length))),
        // a prefix is not the blob: only an absence can be remembered
        (head) => (head === undefined ? ABSENT : undefined),
      ),
    has: (id) =>
      lookup(
        id,
        (bytes) => bytes !== ABSENT,
        () => inner.has(id),
        (exists) => (exists ? undefined : ABSENT),
      ),
    write: (id, data, expiresAt) =>
      written(
        [id],
        () => inner.write(id, data, expiresAt),
        () => remember(id, data),
      ),
    delete: (id) =>
      written(
        [id],
        () => inner.delete(id),
        () => remember(id, ABSENT),
      ),
    list: () => inner.list(),
    stats: () => statsOf(counts, lru),
    resetStats: () => Object.assign(counts, { hits: 0, misses: 0, evictions: 0 }),
    clear: () => {
      lru.clear();
      tickets.invalidateAll();
    },
    close: () => {
      remote?.unsubscribe();
      backing.clear();
      return inner.close?.();
    },
  };
  return wrapBacking(inner, backing, {
    // a listing is never cached (as `list`): it comes from the inner backing
    listPrefix: (listPrefix) => listPrefix,
    open: (open) => (id) =>
      lookup(
        id,
        (bytes) => (bytes === ABSENT ? undefined : bytesHandle(bytes)),
        () => open(id),
        (h) => (h === undefined ? ABSENT : undefined),
      ),
    writeStream: (writeStream) => (id, chunks, head) =>
      written(
        [id],
        () => writeStream(id, chunks, head),
        () => forget(id),
      ) as Promise<void>,
    writeBatch: (writeBatch) => (entries: readonly BatchEntry[]) =>
      written(
        entries.map(([id]) => id),
        () => writeBatch(entries),
        () => {
          for (const [id, data] of entries) remember(id, data ?? ABSENT);
        },
      ),
    // under a cross-process lock, another process may have written since we cached: read afresh
    lock: (lock) => (id) => mapMaybe(lock(id), (release: ReleaseLock) => (forget(id), release)),
    // when the lock was held nothing was written: the entry stays forgotten
    writeIfUnlocked: (writeIfUnlocked) => (id, data, notice, expiresAt) =>
      written(
        [id],
        () => writeIfUnlocked(id, data, notice, expiresAt),
        (ok) => ok && remember(id, data),
      ),
    // false: nothing was deleted, the entry stays forgotten; else the blob is gone (or was)
    deleteIfUnlocked: (deleteIfUnlocked) => (id, notice) =>
      written(
        [id],
        () => deleteIfUnlocked(id, notice),
        (deleted) => deleted !== false && remember(id, ABSENT),
      ),
  });
}

function statsOf(counts: { hits: number; misses: number; evictions: number }, lru: LRUCache<string, Uint8Array>): CacheStats {
  const reads = counts.hits + counts.misses;
  return { ...counts, hitRate: reads === 0 ? 0 : counts.hits / reads, entries: lru.size, bytes: lru.calculatedSize };
}
