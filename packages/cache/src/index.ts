/** @konserve-rx/cache: an LRU cache in front of any backing, and a tiered store (fast front, durable back). */
export { cachedBacking } from './cached-backing';
export { connectCachedStore, connectTieredStore } from './connect';
export { tieredBacking } from './tiered-backing';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES } from './options';
export { CACHED_BACKEND_NAME, TIERED_BACKEND_NAME } from './register';
export type {
  CachedBacking,
  CachedBackingOptions,
  CachedStoreOptions,
  CacheStats,
  FlushError,
  TieredBacking,
  TieredBackingOptions,
  TieredPolicy,
  TieredStoreOptions,
} from './options';
