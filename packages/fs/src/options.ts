/** Options of the file backend. */
import { optionNames, STORE_OPTIONS, type StoreOptions } from '@konserve-rx/core';

/** Options of {@link fileBacking}. */
export interface FileBackingOptions {
  /**
   * The folder holding the store; created with its parents when missing. The store owns it:
   * `deleteFileStore` removes it whole.
   */
  path: string;
  /**
   * Flush each write's data and folder entry to disk before the write completes. With `false`,
   * a completed write still survives a crash of the process (the OS keeps its page cache), but
   * the last few seconds of writes may be lost, as whole values, if the machine loses power.
   * @default true
   */
  fsync?: boolean;
  /**
   * Keep blobs in sub-folders named by the first 2 characters of their id, so no folder grows
   * past a few thousand entries. Only used when creating a store: an existing store keeps the
   * layout recorded in its marker file.
   * @default true
   */
  shard?: boolean;
  /**
   * After how many milliseconds without a heartbeat a lock file (or session, or lease) of
   * **another host** sharing the folder is considered abandoned and may be broken. Holders
   * refresh theirs every third of this. A lock of this host is judged by its process instead:
   * broken at once when that process is gone, never while it lives, however long it stalls.
   * @default 30000
   */
  staleLockMs?: number;
  /**
   * How long a writer waits for another process's lock before failing with `ERR_LOCKED`, in ms.
   * @default 60000
   */
  lockTimeoutMs?: number;
  /**
   * When writes take a lock file. `'auto'`: only while another backing (in this or another
   * process) has the folder open; a backing that has it to itself holds the folder's exclusive
   * lease instead and locks in memory, which saves three system calls per write. A backing that
   * opens the folder later waits (up to `lockTimeoutMs`) until the lease holder hands over.
   * `'always'`: every write takes its lock file, as when sharing.
   * @default 'auto'
   */
  lockFiles?: LockFilesMode;
  /**
   * Share committed writes with the other backings on this folder (in this process and others),
   * so `changes()` and `watch()` see every write, wherever it was made: each write appends a
   * small notice to the folder's change journal (`konserve_rx_changes/`), which the others tail.
   * With `false`, a store sees only its own writes.
   * @default true
   */
  shareChanges?: boolean;
}

/** Values of {@link FileBackingOptions.lockFiles}. */
export type LockFilesMode = 'auto' | 'always';

/** Options of {@link connectFileStore}: the backing's options plus core's {@link StoreOptions}. */
export interface FileStoreOptions extends FileBackingOptions, StoreOptions {}

/** Every option name of {@link FileBackingOptions}. */
export const FILE_BACKING_OPTIONS = optionNames<FileBackingOptions>({
  path: true,
  fsync: true,
  shard: true,
  staleLockMs: true,
  lockTimeoutMs: true,
  lockFiles: true,
  shareChanges: true,
});

/** Every option name of {@link FileStoreOptions}. */
export const FILE_STORE_OPTIONS = optionNames<object>({}, FILE_BACKING_OPTIONS, STORE_OPTIONS);

/** Default of {@link FileBackingOptions.staleLockMs}. */
export const DEFAULT_STALE_LOCK_MS = 30_000;
/** Default of {@link FileBackingOptions.lockTimeoutMs}. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
