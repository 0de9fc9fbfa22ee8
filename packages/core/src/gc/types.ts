/** The contract of garbage collection: what `sweep` takes and what it emits. */
import type { Key, Meta } from '../store-api';

/** Keys a sweep must never delete: a collection of keys (compared by value), or a predicate. */
export type KeepKeys = Iterable<Key> | ((key: Key, meta: Meta) => boolean);

/** Options of {@link sweep}. */
export interface SweepOptions {
  /**
   * Keys to keep whatever their age: a collection, or a guard predicate. The predicate is asked
   * when a key is picked and again under the key's write lock right before the delete, so a guard
   * that keeps what was written since a mark (a key absent then, or with another `lastWrite`)
   * is a gc safe point that needs no clock (docs/scopes.md).
   * @default none: every old enough key is deleted
   */
  keep?: KeepKeys;
  /**
   * Only keys whose `lastWrite` is strictly before this instant are deleted.
   * @default the store's clock when the sweep is subscribed (everything written before it started)
   */
  olderThan?: Date;
  /**
   * Delete the keys that have expired (`Meta.expiresAt` reached by the store's clock) instead of
   * old keys: every read already treats them as missing, and this reclaims their storage. Such
   * deletions emit no `changes()` event (the key was already gone). Cannot be combined with
   * `keep` or `olderThan` (`ERR_INVALID_ARGUMENT`).
   * @default false
   */
  expired?: boolean;
  /**
   * How many blob ids are examined, locked and deleted together (one `multiDissoc`-like step each).
   * @default 100
   */
  batchSize?: number;
  /**
   * Also delete orphaned internal blobs: append-log elements whose log is gone, was replaced by
   * another value, or belongs to an older generation or beyond the log's count.
   * @default true
   */
  orphans?: boolean;
}

/** One deletion made by a sweep. `count` numbers the deletions of this run: 1, 2, 3, ... */
export type SweepEvent =
  /** A user key, deleted like `multiDissoc` (with its log elements, and a `changes()` event unless it had expired). */
  | { readonly type: 'key'; readonly deleted: Key; readonly count: number }
  /** An orphaned internal blob, by blob id (no user key, so no `changes()` event). */
  | { readonly type: 'orphan'; readonly deleted: string; readonly count: number };
