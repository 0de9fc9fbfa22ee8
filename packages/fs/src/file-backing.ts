/**
 * The file backing: one file per blob id under a store folder, written with the atomic
 * temp-file-and-rename protocol and guarded across processes by lock files (or, while it has
 * the folder to itself, by the folder's exclusive lease: see sessions.ts).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { checkOptions, lockIdOf, lockLost, type BackingStore, type ChangeNotice, type ReleaseLock } from '@konserve-rx/core';
import { Subject } from 'rxjs';
import { openJournal, type ChangeJournal } from './change-journal';
import { writeAtomic, writeStreamAtomic, type BeforeCommit } from './atomic-write';
import { hasBlob, openBlob, readBlob, readBlobHead } from './blob-read';
import { createContext, type FileContext } from './internal/context';
import { fsEvents } from './internal/fs-events';
import { badArgument } from './internal/errors';
import { toIoError, unlinkIfExists } from './internal/fs-util';
import { listBlobs, listBlobsWithPrefix } from './list-blobs';
import { openStore, type OpenedStore } from './open-store';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STALE_LOCK_MS, FILE_BACKING_OPTIONS, type FileBackingOptions } from './options';
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
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param options - the folder and the durability, layout and lock settings
 * @returns a {@link FileBacking}; methods resolve asynchronously and fail with `ERR_IO` naming the path
 * @example
 * ```ts
 * const store = createStore(fileBacking({ path: './data', fsync: true }));
 * store.assoc('user', { name: 'Ada' }).subscribe();
 * ```
 */
export function fileBacking(options: FileBackingOptions): FileBacking {
  checkOptions('fileBacking', options, FILE_BACKING_OPTIONS);
  if (typeof options?.path !== 'string' || options.path === '') throw badArgument('fileBacking needs a non-empty `path`');
  const lockFiles = options.lockFiles ?? 'auto';
  if (lockFiles !== 'auto' && lockFiles !== 'always') throw badArgument(`fileBacking: lockFiles must be 'auto' or 'always', not ${JSON.stringify(lockFiles)}`);
  const root = resolve(options.path);
  const fsync = options.fsync ?? true;
  const ctx = createContext(fsync, root);
  const events = fsEvents();
  const sessionOptions = {
    report: events.report,
    staleMs: options.staleLockMs ?? DEFAULT_STALE_LOCK_MS,
    timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ensureDir: ctx.ensureDir,
    lockFiles,
  };
  const share = options.shareChanges ?? true;
  const remote = new Subject<ChangeNotice>();
  let journal: ChangeJournal | undefined;
  let closed = false;
  // the journal opens with the folder: from then on, writes of other backings arrive here
  const joinJournal = (store: OpenedStore): OpenedStore => {
    if (share && journal === undefined && !closed) {
      try {
        journal = openJournal(store.layout.root, randomBytes(8).toString('hex'), (notice) => remote.next(notice));
      } catch {
        // no journal folder (a read-only store): the store works, without other processes' events
      }
    }
    return store;
  };
  let opening: Promise<OpenedStore> | undefined;
  const opened = (): Promise<OpenedStore> =>
    (opening ??= openStore(ctx, root, options.shard ?? true, sessionOptions).then(joinJournal, (e: unknown) => {
      opening = undefined;
      throw e;
    }));
  const ready = async (): Promise<Layout> => (await opened()).layout;
  const locks = new Set<ReleaseLock>();
  // lock id -> check of the lock file we hold for it: writes under it re-check it before committing
  const fences = new Map<string, () => Promise<boolean>>();
  const fenceOf = (ids: readonly string[]): BeforeCommit | undefined => fence(fences, ids);
  // writes in flight: closing waits for them, so a clean close never leaves a temp file behind
  const writes = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    writes.add(work);
    const forget = (): void => void writes.delete(work);
    work.then(forget, forget);
    return work;
  };

  return {
    path: root,
    // durable holds with fsync off too, in the contract's sense: a completed write survives a process crash
    capabilities: { syncResults: false, atomicMulti: false, durable: true, multiProcess: true },
    init: async () => void (await opened()),
    read: async (id) => readBlob(blobPath(await ready(), id)),
    readHead: async (id, length) => readBlobHead(blobPath(await ready(), id), length),
    open: async (id) => openBlob(blobPath(await ready(), id)),
    write: (id, data) => track((async () => writeAtomic(ctx, blobDir(await ready(), id), id, data, fenceOf([id])))()),
    writeStream: (id, chunks, head) => track((async () => writeStreamAtomic(ctx, blobDir(await ready(), id), id, chunks, head, fenceOf([id])))()),
    writeBatch: (entries) => track((async () => writeBatch(ctx, await ready(), entries, fenceOf(entries.map(([id]) => id))))()),
    delete: (id) => track((async () => deleteBlob(ctx, await ready(), id, fenceOf([id])))()),
    has: async (id) => hasBlob(blobPath(await ready(), id)),
    list: () => listAfterOpen(ready),
    listPrefix: (prefix) => listPrefixAfterOpen(ready, prefix),
    inspect: () => ({ ...events.counters }),
    lock: async (id) => {
      const { layout, session } = await opened();
      const { release, stillHeld } = await session.lock(id, lockPath(layout, id));
      locks.add(release);
      if (stillHeld !== undefined) fences.set(id, stillHeld);
      return () => {
        if (fences.get(id) === stillHeld) fences.delete(id);
        locks.delete(release);
        return release();
      };
    },
    ...(share
      ? {
          announce: (notice: ChangeNotice) => journal?.append(notice),
          remoteChanges: remote.asObservable(),
        }
      : {}),
    // core releases its locks before closing; this only covers locks leaked by a failed operation.
    // The session goes last: while it exists, nobody mistakes this backing's files for a crash's.
    close: async () => {
      closed = true;
      journal?.close();
      journal = undefined;
      remote.complete();
      await Promise.allSettled([...writes]);
      await Promise.all([...locks].map((release) => release()));
      const open = opening;
      opening = undefined;
      const store = await open?.catch(() => undefined);
      await store?.session.close();
    },
  };
}

async function* listAfterOpen(ready: () => Promise<Layout>): AsyncGenerator<string, void, undefined> {
  yield* listBlobs(await ready());
}

async function* listPrefixAfterOpen(ready: () => Promise<Layout>, prefix: string): AsyncGenerator<string, void, undefined> {
  yield* listBlobsWithPrefix(await ready(), prefix);
}

/**
 * The check a write of `ids` runs before it commits, when it runs under lock files we hold: fails
 * with `ERR_LOCK_LOST` when one of them no longer names us. This narrows, but cannot close, the
 * window in which a holder of another host whose lock was broken by age still writes: no file
 * operation makes "check, then rename" atomic (docs/fs.md, "What can still happen").
 */
function fence(fences: ReadonlyMap<string, () => Promise<boolean>>, ids: readonly string[]): BeforeCommit | undefined {
  const checks: [string, () => Promise<boolean>][] = [];
  for (const lockId of new Set(ids.map(lockIdOf))) {
    const stillHeld = fences.get(lockId);
    if (stillHeld !== undefined) checks.push([lockId, stillHeld]);
  }
  if (checks.length === 0) return undefined;
  return async () => {
    for (const [lockId, stillHeld] of checks) if (!(await stillHeld())) throw lockLost(lockId);
  };
}

async function deleteBlob(ctx: FileContext, layout: Layout, id: string, beforeCommit?: BeforeCommit): Promise<boolean> {
  const dir = blobDir(layout, id);
  const path = blobPath(layout, id);
  await beforeCommit?.();
  try {
    const existed = await unlinkIfExists(path);
    if (existed && ctx.fsync) await ctx.dirSync(dir);
    return existed;
  } catch (e) {
    throw toIoError(e, path);
  }
}
