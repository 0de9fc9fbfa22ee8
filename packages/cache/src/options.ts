/** Options and result types of the cache and tiered backings. */
import type { Observable, SchedulerLike } from 'rxjs';
import { optionNames, STORE_OPTIONS, type BackingStore, type KonserveError, type StoreOptions } from '@konserve-rx/core';

/** Default of {@link CachedBackingOptions.maxEntries}. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** Default of {@link CachedBackingOptions.maxBytes}: 64 MiB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Options of {@link cachedBacking}: the LRU bounds. Whichever bound is reached first evicts. */
export interface CachedBackingOptions {
  /**
   * The most blobs (and remembered absences) kept; the least recently used go first.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * The most blob bytes kept (an absence counts 1). A blob larger than this is never cached.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
}

/** Options of {@link connectCachedStore}: the cache bounds, the inner backing and core's {@link StoreOptions}. */
export interface CachedStoreOptions extends CachedBackingOptions, StoreOptions {
  /**
   * The backing to cache.
   * @default memoryBacking()
   */
  inner?: BackingStore;
}

/** Counters of a {@link CachedBacking}, for monitoring and the benchmark. */
export interface CacheStats {
  /** Reads (`read`, `readHead`, `has`, `open`) answered from the cache. */
  readonly hits: number;
  /** Reads that went to the inner backing. */
  readonly misses: number;
  /** `hits / (hits + misses)`, or 0 before the first read. */
  readonly hitRate: number;
  /** Entries dropped to stay within `maxEntries`/`maxBytes`. */
  readonly evictions: number;
  /** Entries held now (blobs and remembered absences). */
  readonly entries: number;
  /** Bytes held now, as counted against `maxBytes`. */
  readonly bytes: number;
}

/** A {@link BackingStore} with an LRU cache of whole blobs in front of another. */
export interface CachedBacking extends BackingStore {
  /** The backing behind the cache. */
  readonly inner: BackingStore;
  /** The counters so far. */
  stats(): CacheStats;
  /** Sets `hits`, `misses` and `evictions` back to 0 (entries stay cached). */
  resetStats(): void;
  /** Drops every cached entry; later reads go to the inner backing. */
  clear(): void;
}

/** When a tiered backing writes its back layer. */
export type TieredPolicy = 'write-through' | 'write-behind';

/** Options of {@link tieredBacking}. */
export interface TieredBackingOptions {
  /**
   * `'write-through'` writes the back, then the front, before a write completes: durable when the
   * back is. `'write-behind'` writes the front and completes at once, then copies to the back in
   * the background: fast, but writes not yet flushed are lost if the process dies.
   * @default 'write-through'
   */
  policy?: TieredPolicy;
  /**
   * Write-behind: how long to wait after a write before flushing, so bursts go to the back in one pass (ms).
   * @default 0
   */
  flushDelayMs?: number;
  /**
   * Write-behind: the first delay before retrying a failed background flush (ms); doubles per failure.
   * @default 100
   */
  retryDelayMs?: number;
  /**
   * Write-behind: the longest delay between retries of a failing background flush (ms).
   * @default 10000
   */
  maxRetryDelayMs?: number;
  /**
   * Write-behind: the scheduler that times flushes and retries (inject a TestScheduler in tests).
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/** Options of {@link connectTieredStore}: both layers, the tiered options and core's {@link StoreOptions}. */
export interface TieredStoreOptions extends TieredBackingOptions, StoreOptions {
  /** The durable back layer (e.g. `fileBacking({ path })`). */
  back: BackingStore;
  /**
   * The fast front layer.
   * @default memoryBacking()
   */
  front?: BackingStore;
  /**
   * Copy every blob of the back into the front before the Store is emitted, so reads never miss.
   * @default true
   */
  sync?: boolean;
  /**
   * How many blobs the connect-time sync copies at once.
   * @default 16
   */
  syncConcurrency?: number;
}

/** A failed background flush of a write-behind tiered backing: its writes stay pending and are retried. */
export interface FlushError {
  /** The blob ids whose writes to the back failed together (one id, or a whole batch). */
  readonly ids: readonly string[];
  /** How many background flushes in a row have failed, this one included. */
  readonly attempt: number;
  /** The failure, as `ERR_IO` (or the back's own `KonserveError`). */
  readonly error: KonserveError;
}

/** A {@link BackingStore} over a fast front and a durable back. */
export interface TieredBacking extends BackingStore {
  /** The fast layer. */
  readonly front: BackingStore;
  /** The durable layer. */
  readonly back: BackingStore;
  /** The write policy in force. */
  readonly policy: TieredPolicy;
  /**
   * Writes every write made before subscription to the back. Cold.
   * @returns an Observable emitting `undefined` once they are all in the back, then completing;
   * errors with the back's error (`ERR_IO`) when one fails (it stays pending and is retried).
   * Emits at once under write-through.
   */
  flush(): Observable<void>;
  /** Hot: every failed background flush (write-behind); completes when the backing closes. */
  readonly errors$: Observable<FlushError>;
  /** How many blob ids have writes not yet in the back (always 0 under write-through). */
  pending(): number;
}

/** Every option name of {@link CachedBackingOptions}. */
export const CACHED_BACKING_OPTIONS = optionNames<CachedBackingOptions>({ maxEntries: true, maxBytes: true });

/** Every option name of {@link CachedStoreOptions}. */
export const CACHED_STORE_OPTIONS = optionNames<Pick<CachedStoreOptions, 'inner'>>({ inner: true }, CACHED_BACKING_OPTIONS, STORE_OPTIONS);

/** Every option name of {@link TieredBackingOptions}. */
export const TIERED_BACKING_OPTIONS = optionNames<TieredBackingOptions>({
  policy: true,
  flushDelayMs: true,
  retryDelayMs: true,
  maxRetryDelayMs: true,
  scheduler: true,
});

/** Every option name of {@link TieredStoreOptions}. */
export const TIERED_STORE_OPTIONS = optionNames<Pick<TieredStoreOptions, 'back' | 'front' | 'sync' | 'syncConcurrency'>>(
  { back: true, front: true, sync: true, syncConcurrency: true },
  TIERED_BACKING_OPTIONS,
  STORE_OPTIONS,
);
