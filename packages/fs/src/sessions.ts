/**
 * Who has a store folder open (docs/fs.md, "Sessions and the exclusive lease").
 *
 * Each open backing holds a session file in `konserve_rx_sessions/`, a lock-like symlink naming
 * its pid, with a heartbeat; closing removes it. That record answers two questions cheaply:
 * - **Did anyone crash?** A session that is stale (its process gone; for one of another host, no
 *   heartbeat for staleLockMs) belonged to a process that never closed, so its temp and lock
 *   files may lie anywhere: only then (or when
 *   the folder has no session record at all, e.g. an older store) does opening sweep every
 *   folder. A clean reopen lists one small folder instead of every file.
 * - **Is this backing alone?** Then it takes the exclusive lease `konserve_rx_exclusive~.lock`
 *   and guards writes with in-process locks only, skipping the three system calls of a lock
 *   file per write. A newcomer registers its session first, then waits until the lease is gone;
 *   the holder watches the sessions folder, stops granting lock-free locks, lets the ones it
 *   granted finish, and removes the lease. From then on every backing uses lock files.
 *
 * Ordering makes this safe: a backing registers before it looks, so of two backings opening at
 * once at least one sees the other; a holder checks again after taking the lease; and nobody
 * takes the lease while another live session exists.
 */
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { acquireFileLock, breakIfStale, lockState, tryCreate, type FileLock, type FileLockOptions } from './file-lock';
import type { FileContext } from './internal/context';
import { locked, type ReleaseLock } from '@konserve-rx/core';
import { errnoOf, sleep, toIoError } from './internal/fs-util';
import { createLocalLocks } from './internal/local-locks';
import type { LockFilesMode } from './options';
import type { Layout } from './paths';

/** The folder of session files, in the store root (`_`: outside the blob id alphabet). */
export const SESSIONS_DIR = 'konserve_rx_sessions';
/** The exclusive lease, in the store root; named like a lock file so the sweep judges it like one. */
export const LEASE_FILE = 'konserve_rx_exclusive~.lock';

/**
 * How often a lease holder also lists the sessions, in case a file-system event is missed (some
 * network file systems send none), in ms. Events answer at once; this only bounds the worst case,
 * and stays cheap for a process holding many stores open.
 */
const POLL_MS = 1000;

/** Settings of a session: the lock settings plus whether the lease may be taken. */
export interface SessionOptions extends FileLockOptions {
  /** `'auto'` takes the lease when alone; `'always'` never does. */
  readonly lockFiles: LockFilesMode;
}

/** One backing's membership of a store folder. */
export interface FolderSession {
  /** True when opening found signs of a crash (a stale session, or no session record): sweep the folder. */
  readonly needsSweep: boolean;
  /** Locks blob `id` against every other writer: in-process only under the lease, else with its lock file. */
  lock(id: string, lockFile: string): Promise<SessionLock>;
  /** Call after the sweep: removes the stale sessions found, then takes the lease if alone and allowed. */
  settle(): Promise<void>;
  /** Gives up the lease and the session file; never rejects. */
  close(): Promise<void>;
}

/**
 * A lock granted by {@link FolderSession.lock}. `stillHeld` is the lock file's (see FileLock);
 * a lock-free lock under the lease has none: this host's lease is never broken while its holder
 * lives, and checking the lease per write would cost the system call the lease exists to save.
 */
export interface SessionLock {
  readonly release: ReleaseLock;
  readonly stillHeld?: () => Promise<boolean>;
}

/**
 * Registers a session in `layout.root` and reads the others.
 * @param ctx - fsync and folder creation
 * @param layout - the opened folder
 * @param options - lock settings and the lease mode
 * @returns the session; errors with `ERR_IO` when the sessions folder cannot be written or listed
 */
export async function joinFolder(ctx: FileContext, layout: Layout, options: SessionOptions): Promise<FolderSession> {
  const dir = join(layout.root, SESSIONS_DIR);
  const leasePath = join(layout.root, LEASE_FILE);
  const hadRecord = await exists(dir);
  const name = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const sessionPath = join(dir, name);
  let leaveSession: ReleaseLock | undefined;
  try {
    leaveSession = await tryCreate(sessionPath, options);
    // a sweep decision rests on this file: it must exist on disk before any temp file does
    if (ctx.fsync) await ctx.dirSync(dir);
  } catch (e) {
    if (READ_ONLY.has(errnoOf(e) ?? '')) return unregistered(options);
    throw toIoError(e, dir);
  }
  // the name is random: nobody else can hold it
  if (leaveSession === undefined) throw toIoError(Object.assign(new Error(`session ${name} exists`), { code: 'EEXIST', syscall: 'symlink' }), dir);
  let first: { live: number; stale: string[] };
  try {
    first = await readOthers(dir, name, options.staleMs);
  } catch (e) {
    // the backing does not open: leave no session that would look like a crash later
    await leaveSession();
    throw e;
  }
  const local = createLocalLocks();

  let lease: ReleaseLock | undefined;
  let watcher: { stop(): void } | undefined;
  /** Locks granted without a lock file that are still held; the lease stays until they are released. */
  let leaseHolds = 0;
  let drained: (() => void) | undefined;
  /** Resolves once the lease was seen absent after we registered (nobody else can then take it). */
  let leaseClear: Promise<void> | undefined;
  let closed = false;

  // A session removed while this process lives (by hand, or by another host that judged it stale
  // by age) is put back, so that a crash of this process later still leaves its record.
  const restoreSession = async (): Promise<void> => {
    if (closed || (await exists(sessionPath).catch(() => true))) return;
    const previous = leaveSession!;
    const again = await tryCreate(sessionPath, options).catch(() => undefined);
    if (again === undefined) return;
    leaveSession = again;
    // stops the old heartbeat; it deletes nothing, the file now carries the new token
    await previous();
  };
  const selfCheck = setInterval(() => void restoreSession(), Math.max(20, options.staleMs / 3));
  selfCheck.unref();

  const liveOthers = async (): Promise<number> => (await readOthers(dir, name, options.staleMs)).live;

  const takeLease = async (): Promise<void> => {
    if (options.lockFiles !== 'auto' || lease !== undefined || closed) return;
    let release = await tryCreate(leasePath, options);
    if (release === undefined && (await breakIfStale(leasePath, options))) release = await tryCreate(leasePath, options);
    if (release === undefined) return;
    // checked again while holding it: a backing that registered meanwhile may not have seen it yet
    if ((await liveOthers()) > 0) return void (await release());
    lease = release;
    leaseClear = Promise.resolve();
    watcher = watchNewcomers(dir, async () => {
      if (lease !== undefined && (await liveOthers().catch(() => 1)) > 0) await giveUpLease();
    });
  };

  const giveUpLease = async (): Promise<void> => {
    const release = lease;
    if (release === undefined) return;
    // from here on, new locks take lock files; the lease stays until the lock-free ones end
    lease = undefined;
    watcher?.stop();
    watcher = undefined;
    if (leaseHolds > 0) await new Promise<void>((resolve) => (drained = resolve));
    // reported before the lease goes, so it is counted by the time the newcomer proceeds
    if (!closed) options.report?.({ action: 'lease-handover', path: leasePath });
    await release();
  };

  const waitForLease = (): Promise<void> =>
    (leaseClear ??= waitUntilGone(leasePath, options).catch((e: unknown) => {
      leaseClear = undefined;
      throw e;
    }));

  return {
    needsSweep: !hadRecord || first.stale.length > 0,
    lock: async (id, lockFile) => {
      const releaseLocal = await local.acquire(id);
      if (lease !== undefined) {
        leaseHolds++;
        return {
          release: once(() => {
            releaseLocal();
            if (--leaseHolds === 0) drained?.();
          }),
        };
      }
      try {
        await waitForLease();
        const file: FileLock = await acquireFileLock(lockFile, options);
        const release = once(async () => {
          await file.release();
          releaseLocal();
        });
        return { release, stillHeld: file.stillHeld };
      } catch (e) {
        releaseLocal();
        throw e;
      }
    },
    settle: async () => {
      // removed only after the sweep: a crash during the sweep leaves them for the next opener
      for (const stale of first.stale) {
        if ((await lockState(join(dir, stale), options.staleMs)) === 'stale') await unlink(join(dir, stale)).catch(() => undefined);
      }
      if (first.live === 0) await takeLease();
    },
    close: async () => {
      closed = true;
      clearInterval(selfCheck);
      await giveUpLease().catch(() => undefined);
      await leaveSession!();
    },
  };
}

/** Errors of a folder this process may read but not write. */
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The session of a backing that cannot write its session file (a read-only folder): it sweeps
 * as before sessions existed (removal fails quietly there), and locks with lock files. A lock
 * file the folder refuses for the same reason is granted without one: the blob's temp file goes
 * in the same folder as its lock file, so every write under such a lock fails with `ERR_IO` as
 * well, while a `dissoc` of a missing key (which writes nothing) answers `false`.
 */
function unregistered(options: SessionOptions): FolderSession {
  return {
    needsSweep: true,
    lock: (_id, lockFile) =>
      acquireFileLock(lockFile, options).catch((e: unknown) => {
        // no file, so nothing to re-check before a commit: the write itself fails with ERR_IO
        if (READ_ONLY.has(errnoOf((e as { cause?: unknown }).cause) ?? '')) return { release: async () => undefined };
        throw e;
      }),
    settle: async () => undefined,
    close: async () => undefined,
  };
}

/** The other sessions of the folder: how many are live, and the names of the stale ones. */
async function readOthers(dir: string, own: string, staleMs: number): Promise<{ live: number; stale: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw toIoError(e, dir);
  }
  let live = 0;
  const stale: string[] = [];
  for (const name of names) {
    if (name === own) continue;
    const state = await lockState(join(dir, name), staleMs).catch(() => 'live' as const);
    if (state === 'live') live++;
    else if (state === 'stale') stale.push(name);
  }
  return { live, stale };
}

/** Waits until the lease at `path` is gone, breaking it if its holder died; `ERR_LOCKED` after `timeoutMs`. */
async function waitUntilGone(path: string, options: FileLockOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const state = await lockState(path, options.staleMs);
    if (state === 'gone') return;
    if (state === 'stale' && (await breakIfStale(path, options))) continue;
    if (Date.now() >= deadline) throw locked(path, options.timeoutMs);
    await sleep(Math.min(2 ** attempt, 20));
  }
}

/** Calls `check` when the sessions folder changes, and every {@link POLL_MS} in case an event is missed. */
function watchNewcomers(dir: string, check: () => Promise<void>): { stop(): void } {
  let running = false;
  const run = (): void => {
    if (running) return;
    running = true;
    void check().finally(() => (running = false));
  };
  let fsWatcher: FSWatcher | undefined;
  try {
    fsWatcher = watch(dir, { persistent: false }, run);
    fsWatcher.on('error', () => fsWatcher?.close());
  } catch {
    // no file-system events here (some network file systems): polling alone still works
  }
  const timer = setInterval(run, POLL_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      fsWatcher?.close();
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw toIoError(e, path);
  }
}

/** Makes a release idempotent. */
function once(release: () => void | Promise<void>): ReleaseLock {
  let done: Promise<void> | undefined;
  return () => (done ??= Promise.resolve(release()));
}
