/**
 * Cross-process exclusive locks on lock files (docs/fs.md, "Lock protocol"). A lock is a file
 * created complete (see internal/lock-file.ts) holding the owner's pid and host; the holder refreshes its
 * mtime (heartbeat) while it holds it. A lock is stale when its owner pid is dead on this host or
 * its mtime is older than `staleMs`; a stale lock is removed under a short "breaker" lock, after
 * checking again that it is still stale, so two waiters never both break it and both win.
 */
import { readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { ReleaseLock } from '@konserve-rx/core';
import type { FileContext } from './internal/context';
import { lockTimeout } from './internal/errors';
import { errnoOf, isAlive, sleep, toIoError, unlinkIfExists } from './internal/fs-util';
import { createLockFile, parseOwner } from './internal/lock-file';
import { BREAKER_SUFFIX } from './paths';

/** How one backing takes its locks. */
export interface FileLockOptions {
  /** A lock whose mtime is older than this (no heartbeat) is abandoned, in ms. */
  readonly staleMs: number;
  /** Give up with `ERR_LOCKED` after waiting this long, in ms. */
  readonly timeoutMs: number;
  /** The backing's context (creates the lock's folder when missing). */
  readonly ctx: FileContext;
}

/**
 * Tokens of the lock and breaker files this process holds. A file naming our own pid whose token
 * is not in here was left by an earlier process that had our pid (a restarted container): stale.
 */
const held = new Set<string>();

/** Backoff between attempts while a live owner holds the lock, in ms (before jitter). */
const MAX_BACKOFF_MS = 20;

/**
 * Takes the exclusive lock at `path`, waiting while a live owner holds it.
 * @returns a release function that never rejects (a failed release leaves a lock that goes stale).
 * Errors with `ERR_LOCKED` after `timeoutMs`, or `ERR_IO` when the lock file cannot be created.
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<ReleaseLock> {
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (let attempt = 0; ; attempt++) {
      const release = await tryCreate(path, options);
      if (release) return release;
      if (await breakIfStale(options.ctx, path, options.staleMs)) continue;
      if (Date.now() >= deadline) throw lockTimeout(path, options.timeoutMs);
      // jitter spreads waiters of several processes so they do not retry in lockstep
      await sleep(Math.min(2 ** attempt, MAX_BACKOFF_MS) * (0.5 + Math.random()));
    }
  } catch (e) {
    throw toIoError(e, path);
  }
}

/** Creates the lock file; `undefined` when someone holds it. */
async function tryCreate(path: string, options: FileLockOptions): Promise<ReleaseLock | undefined> {
  let token = '';
  try {
    const ino = await createLockFile(options.ctx, path, (t) => held.add((token = t)));
    if (ino !== undefined) return hold(path, ino, token, options.staleMs);
    held.delete(token);
    return undefined;
  } catch (e) {
    held.delete(token);
    throw e;
  }
}

/** Starts the heartbeat and returns the idempotent release. */
function hold(path: string, ino: number, token: string, staleMs: number): ReleaseLock {
  const beat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(20, staleMs / 3));
  beat.unref();
  let released: Promise<void> | undefined;
  return () =>
    (released ??= (async () => {
      clearInterval(beat);
      // only delete our own file: if ours was broken as stale, the file now belongs to someone else
      const st = await stat(path).catch(() => undefined);
      if (st?.ino === ino) await unlink(path).catch(() => undefined);
      held.delete(token);
    })());
}

/**
 * Removes a lock or breaker file whose owner is gone (crash leftovers found when opening).
 * Locks go through the breaker like any waiter; a breaker is only ever held for microseconds.
 */
export async function removeIfAbandoned(ctx: FileContext, path: string, staleMs: number): Promise<void> {
  // a second round covers a breaker left by the same crash: the first round removes it
  for (let round = 0; round < 2 && (await lockState(path, staleMs)) === 'stale'; round++) {
    if (path.endsWith(BREAKER_SUFFIX)) await unlinkIfExists(path);
    else await breakIfStale(ctx, path, staleMs);
  }
}

/** Removes the lock at `path` if it is stale; true when the caller should retry at once. */
async function breakIfStale(ctx: FileContext, path: string, staleMs: number): Promise<boolean> {
  const state = await lockState(path, staleMs);
  if (state !== 'stale') return state === 'gone';
  const breaker = path + BREAKER_SUFFIX;
  let token = '';
  const created = await createLockFile(ctx, breaker, (t) => held.add((token = t))).catch((e: unknown) => {
    held.delete(token);
    throw e;
  });
  if (created === undefined) {
    held.delete(token);
    // another waiter is breaking it; a breaker left by a crash is itself recovered the same way
    if ((await lockState(breaker, staleMs)) === 'stale') await unlinkIfExists(breaker);
    return false;
  }
  try {
    // checked again under the breaker: someone may have broken it and taken a fresh lock meanwhile;
    // only the breaker holder deletes lock files it did not create, so this one cannot change now
    // (unless an owner judged stale by age wakes up and releases it: see docs/fs.md)
    if ((await lockState(path, staleMs)) === 'stale') await unlinkIfExists(path);
  } finally {
    await unlinkIfExists(breaker).catch(() => undefined);
    held.delete(token);
  }
  return true;
}

/**
 * `'gone'` when the file no longer exists (never "stale": whatever appears there next is fresh),
 * `'stale'` when it is older than `staleMs` or names a dead pid (or our pid, not held by us) of
 * this host, else `'live'`.
 */
async function lockState(path: string, staleMs: number): Promise<'gone' | 'stale' | 'live'> {
  const st = await stat(path).catch((e: unknown) => (errnoOf(e) === 'ENOENT' ? undefined : Promise.reject(e)));
  if (st === undefined) return 'gone';
  if (Date.now() - st.mtimeMs > staleMs) return 'stale';
  const owner = parseOwner(await readFile(path, 'utf8').catch(() => ''));
  // a pid only means something on its own host; foreign locks go stale by age alone. A file
  // without an owner is being created without hard links (see lock-file.ts): live.
  if (owner === undefined || owner.host !== hostname()) return 'live';
  const dead = owner.pid === process.pid ? !held.has(owner.token) : !isAlive(owner.pid);
  return dead ? 'stale' : 'live';
}
