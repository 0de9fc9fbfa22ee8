/**
 * Cross-process exclusive locks on lock files (docs/fs.md, "Lock protocol"). A lock is a file
 * created complete (see internal/lock-file.ts) naming the owner's pid, start time and host; the
 * holder refreshes its mtime (heartbeat) while it holds it. A lock of this host is stale exactly
 * when its owner process is gone: a live owner keeps it however long it stalls (frozen, paused,
 * event loop blocked), which is what fences its writes (BackingStore.lock, "Fencing"): nobody
 * else can write under a lock that cannot be lost. Only a lock of another host (a shared network
 * folder), whose pid means nothing here, goes stale by age: its mtime older than `staleMs`. A
 * stale lock is removed under a short "breaker" lock, after checking again that it is still
 * stale, so two waiters never both break it and both win.
 */
import { locked, type ReleaseLock } from '@konserve-rx/core';
import { isAlive, sleep, toIoError, unlinkIfExists } from './internal/fs-util';
import { createLockFile, HOST_TAG, lockAge, newOwner, ownsLock, processStat, readOwner, removeOwnLock, touchLock, type LockOwner } from './internal/lock-file';
import type { FsReport } from './internal/fs-events';
import { BREAKER_SUFFIX } from './paths';

/** How one backing takes its locks. */
export interface FileLockOptions {
  /** A lock whose mtime is older than this (no heartbeat) is abandoned, in ms. */
  readonly staleMs: number;
  /** Give up with `ERR_LOCKED` after waiting this long, in ms. */
  readonly timeoutMs: number;
  /** Creates the lock's folder when missing. */
  readonly ensureDir: (dir: string) => Promise<void>;
  /** Hears of stale locks broken and of waits (counters and diagnostics). */
  readonly report?: FsReport;
}

/**
 * Tokens of the lock and breaker files this process holds. A file naming our own pid whose token
 * is not in here was left by an earlier process that had our pid (a restarted container): stale.
 */
const held = new Set<string>();

/** A lock file this process holds. */
export interface FileLock {
  /** Stops the heartbeat and deletes the file if it still names us; idempotent, never rejects. */
  readonly release: ReleaseLock;
  /**
   * Whether the file still names us: false once another host broke it by age (a lock of this
   * host is never broken while we live). Checked before each commit under the lock.
   */
  stillHeld(): Promise<boolean>;
}

/** Backoff between attempts while a live owner holds the lock, in ms (before jitter). */
const MAX_BACKOFF_MS = 20;

/**
 * Takes the exclusive lock at `path`, waiting while a live owner holds it.
 * @returns the held lock, whose release never rejects (a failed release leaves a lock that goes stale).
 * Errors with `ERR_LOCKED` after `timeoutMs`, or `ERR_IO` when the lock file cannot be created.
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<FileLock> {
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (let attempt = 0; ; attempt++) {
      const lock = await tryLock(path, options);
      if (lock) {
        if (attempt > 0) options.report?.({ action: 'lock-wait', path, attempts: attempt + 1 });
        return lock;
      }
      const retryNow = await breakIfStale(path, options);
      if (Date.now() >= deadline) throw locked(path, options.timeoutMs);
      // jitter spreads waiters of several processes so they do not retry in lockstep
      if (!retryNow) await sleep(Math.min(2 ** attempt, MAX_BACKOFF_MS) * (0.5 + Math.random()));
    }
  } catch (e) {
    throw toIoError(e, path);
  }
}

/**
 * Creates the lock file at `path` and starts its heartbeat; `undefined` when someone holds it.
 * Also used for the folder's session files and exclusive lease (sessions.ts), which are held
 * like locks for as long as a backing has the folder open.
 */
export async function tryCreate(path: string, options: FileLockOptions): Promise<ReleaseLock | undefined> {
  return (await tryLock(path, options))?.release;
}

/** Creates the lock file at `path` and starts its heartbeat; `undefined` when someone holds it. */
async function tryLock(path: string, options: FileLockOptions): Promise<FileLock | undefined> {
  const owner = newOwner();
  // counted as held before the file can exist, so no other backing of this process judges it stale
  held.add(owner.token);
  try {
    if (await createLockFile(path, owner, options.ensureDir))
      return { release: hold(path, owner, options.staleMs), stillHeld: () => ownsLock(path, owner).catch((e: unknown) => Promise.reject(toIoError(e, path))) };
  } catch (e) {
    held.delete(owner.token);
    throw e;
  }
  held.delete(owner.token);
  return undefined;
}

/** Starts the heartbeat and returns the idempotent release. */
function hold(path: string, owner: LockOwner, staleMs: number): ReleaseLock {
  const beat = setInterval(() => void touchLock(path), Math.max(20, staleMs / 3));
  beat.unref();
  let released: Promise<void> | undefined;
  return () =>
    (released ??= (async () => {
      clearInterval(beat);
      await removeOwnLock(path, owner);
      held.delete(owner.token);
    })());
}

/**
 * Removes a lock or breaker file whose owner is gone (crash leftovers found when opening).
 * Locks go through the breaker like any waiter; a breaker is only ever held for microseconds.
 */
export async function removeIfAbandoned(path: string, options: FileLockOptions): Promise<void> {
  // a second round covers a breaker left by the same crash: the first round removes it
  for (let round = 0; round < 2 && (await lockState(path, options.staleMs)) === 'stale'; round++) {
    if (path.endsWith(BREAKER_SUFFIX)) await unlinkIfExists(path);
    else await breakIfStale(path, options);
  }
}

/** Removes the lock at `path` if it is stale; true when the caller should retry at once. */
export async function breakIfStale(path: string, options: FileLockOptions): Promise<boolean> {
  const state = await lockState(path, options.staleMs);
  if (state !== 'stale') return state === 'gone';
  const breaker = path + BREAKER_SUFFIX;
  const owner = newOwner();
  held.add(owner.token);
  try {
    if (!(await createLockFile(breaker, owner, options.ensureDir))) {
      // another waiter is breaking it; a breaker left by a crash is itself recovered the same way
      if ((await lockState(breaker, options.staleMs)) === 'stale') await unlinkIfExists(breaker);
      return false;
    }
    try {
      // checked again under the breaker: someone may have broken it and taken a fresh lock
      // meanwhile; only breaker holders delete locks they did not create, so it cannot change
      // now (unless an owner judged stale by age wakes up and releases it: see docs/fs.md)
      if ((await lockState(path, options.staleMs)) === 'stale' && (await unlinkIfExists(path))) options.report?.({ action: 'stale-lock-broken', path });
    } finally {
      await removeOwnLock(breaker, owner);
    }
    return true;
  } finally {
    held.delete(owner.token);
  }
}

/**
 * `'gone'` when the lock no longer exists (never "stale": whatever appears there next is fresh).
 * For a lock of this host: `'stale'` when its owner process is gone (a dead pid, a pid reused by
 * a process that started at another time, or our pid with a token we do not hold), else `'live'`,
 * whatever its age. For a lock of another host, or without a readable owner: `'stale'` when
 * older than `staleMs`, else `'live'`.
 */
export async function lockState(path: string, staleMs: number): Promise<'gone' | 'stale' | 'live'> {
  const age = await lockAge(path);
  if (age === undefined) return 'gone';
  const owner = await readOwner(path);
  if (owner === 'gone') return 'gone';
  // a pid only means something on its own host: foreign locks go stale by age alone. A lock
  // without a readable owner is a regular file being written (no-symlink fallback), or one of
  // a newer format: judged by age too.
  if (owner === undefined || owner.host !== HOST_TAG) return age > staleMs ? 'stale' : 'live';
  return (await ownerAlive(owner)) ? 'live' : 'stale';
}

/**
 * Whether the process named by a lock of this host still runs: not dead, not a zombie (exited,
 * its parent has not reaped it yet), and not another process that reuses its pid.
 */
async function ownerAlive(owner: LockOwner): Promise<boolean> {
  if (owner.pid === process.pid) return held.has(owner.token);
  if (!isAlive(owner.pid)) return false;
  const stat = await processStat(owner.pid);
  // unknown (no /proc, or it exited just now): isAlive said it runs
  if (stat === undefined) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === undefined || stat.start === undefined || stat.start === owner.start;
}
