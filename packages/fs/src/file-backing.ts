/**
 * The file backing: one file per blob id under a store folder, written with the atomic
 * temp-file-and-rename protocol and guarded across processes by lock files.
 */
import { resolve } from 'node:path';
import type { BackingStore, ReleaseLock } from '@konserve-rx/core';
import { writeAtomic, writeStreamAtomic } from './atomic-write';
import { hasBlob, openBlob, readBlob, readBlobHead } from './blob-read';
import { acquireFileLock } from './file-lock';
import { createContext, type FileContext } from './internal/context';
import { badArgument } from './internal/errors';
import { toIoError, unlinkIfExists } from './internal/fs-util';
import { listBlobs } from './list-blobs';
import { openStore } from './open-store';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STALE_LOCK_MS, type FileBackingOptions } from './options';
import { blobDir, blobPath, lockPath, type Layout } from './paths';
import { writeBatch } from './write-batch';

/** The registry name of the file backend, for `connectStore({ backend: 'file', path })`. */
export const FILE_BACKEND_NAME = 'file';

/** A {@link BackingStore} over a folder, with its path and an eager open. */
export interface FileBacking extends BackingStore {
  /** The store folder, as an absolute path. */
  readonly path: string;
  /**
   * Opens the folder now: creates it, reads or writes its layout marker, removes leftover temp
   * files. Every other method does this lazily on first use; a failed open is retried next time.
   */
  init(): Promise<void>;
}

/**
 * Creates a backing that stores each blob as one file under `options.path`.
 * @param options - the folder and the durability, layout and lock settings
 * @returns a {@link FileBacking}; methods resolve asynchronously and fail with `ERR_IO` naming the path
 * @example
 * ```ts
 * const store = createStore(fileBacking({ path: './data', fsync: true }));
 * store.assoc('user', { name: 'Ada' }).subscribe();
 * ```
 */
export function fileBacking(options: FileBackingOptions): FileBacking {
  if (typeof options?.path !== 'string' || options.path === '') throw badArgument('fileBacking needs a non-empty `path`');
  const root = resolve(options.path);
  const fsync = options.fsync ?? true;
  const ctx = createContext(fsync);
  const lockOptions = {
    staleMs: options.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
    timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ensureDir: ctx.ensureDir,
  };
  let opening: Promise<Layout> | undefined;
  const ready = (): Promise<Layout> =>
    (opening ??= openStore(ctx, root, options.shard ?? true, lockOptions).catch((e: unknown) => {
      opening = undefined;
      throw e;
    }));
  const locks = new Set<ReleaseLock>();

  return {
    path: root,
    // durable holds with fsync off too, in the contract's sense: a completed write survives a process crash
    capabilities: { syncResults: false, atomicMulti: false, durable: true, multiProcess: true },
    init: async () => void (await ready()),
    read: async (id) => readBlob(blobPath(await ready(), id)),
    readHead: async (id, length) => readBlobHead(blobPath(await ready(), id), length),
    open: async (id) => openBlob(blobPath(await ready(), id)),
    write: async (id, data) => writeAtomic(ctx, blobDir(await ready(), id), id, data),
    writeStream: async (id, chunks, head) => writeStreamAtomic(ctx, blobDir(await ready(), id), id, chunks, head),
    writeBatch: async (entries) => writeBatch(ctx, await ready(), entries),
    delete: async (id) => deleteBlob(ctx, await ready(), id),
    has: async (id) => hasBlob(blobPath(await ready(), id)),
    list: () => listAfterOpen(ready),
    lock: async (id) => {
      const release = await acquireFileLock(lockPath(await ready(), id), lockOptions);
      locks.add(release);
      return () => {
        locks.delete(release);
        return release();
      };
    },
    // core releases its locks before closing; this only covers locks leaked by a failed operation
    close: async () => void (await Promise.all([...locks].map((release) => release()))),
  };
}

async function* listAfterOpen(ready: () => Promise<Layout>): AsyncGenerator<string, void, undefined> {
  yield* listBlobs(await ready());
}

async function deleteBlob(ctx: FileContext, layout: Layout, id: string): Promise<boolean> {
  const dir = blobDir(layout, id);
  const path = blobPath(layout, id);
  try {
    const existed = await unlinkIfExists(path);
    if (existed && ctx.fsync) await ctx.dirSync(dir);
    return existed;
  } catch (e) {
    throw toIoError(e, path);
  }
}
