/// <reference lib="dom" />
/** The options of {@link indexedDbBacking} and what each one trades off. */
import { optionNames } from '@konserve-rx/core';

/** Options of `indexedDbBacking` and `connectIndexedDbStore`. */
export interface IndexedDbBackingOptions {
  /**
   * The IndexedDB database that holds the store (created on first connect, deleted by
   * `deleteStore`). Every tab of the origin that opens the same name shares the store.
   */
  name: string;
  /**
   * The IndexedDB implementation (an `IDBFactory`), e.g. `fake-indexeddb` in Node.
   * @default globalThis.indexedDB
   */
  indexedDB?: IDBFactory;
  /**
   * Share change events with the other tabs (and other stores in this tab) over a
   * `BroadcastChannel` named after the database. Without it `changes()`/`watch()` see this
   * store's writes only.
   * @default true when `BroadcastChannel` exists
   */
  shareChanges?: boolean;
  /**
   * The Web Locks manager that serializes writers across tabs (`update` stays atomic when two tabs
   * write the same key); `null` turns cross-tab locking off (a single-tab app saves the lock's cost).
   * @default globalThis.navigator.locks when present, else null
   */
  locks?: LockManager | null;
  /**
   * How long a writer waits for another tab's lock before failing with `ERR_LOCKED`, in ms.
   * @default 30000
   */
  lockTimeout?: number;
  /**
   * How long `deleteStore` waits for other connections to the database to close before failing
   * with `ERR_IO` (stores of this package close theirs at once; another library's may not).
   * @default 5000
   */
  blockedTimeout?: number;
  /**
   * Blob ids fetched per request while listing (`keys()` never loads every id at once).
   * @default 1000
   */
  listPageSize?: number;
}

/** Every option name of {@link IndexedDbBackingOptions}: anything else fails with `ERR_INVALID_ARGUMENT`. */
export const INDEXEDDB_BACKING_OPTIONS = optionNames<IndexedDbBackingOptions>({
  name: true,
  indexedDB: true,
  shareChanges: true,
  locks: true,
  lockTimeout: true,
  blockedTimeout: true,
  listPageSize: true,
});
