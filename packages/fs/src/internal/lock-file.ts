/**
 * Lock files as symbolic links whose target text is the owner record, like Emacs's `.#file`
 * locks: `symlink(2)` creates the name and its content in one atomic step (failing with EEXIST
 * when it exists), so a crash can never leave an ownerless lock, and taking a lock is a single
 * system call. On file systems without symlinks a regular file is created with `'wx'` instead.
 * The link's own mtime (`lstat`, `lutimes`) is the heartbeat; the target is never resolved.
 * The target `krx-lock:<pid>:<host tag>:<token>` stays under 60 bytes, so ext4 keeps it inside
 * the inode (a "fast symlink": no data block to allocate and free per lock).
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, lutimes, open, readFile, readlink, symlink, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { writeAll } from '../atomic-write';
import { errnoOf, removeQuietly } from './fs-util';

/** Who holds a lock file: the process, its host (as a short tag), and a token unique to this lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** This machine's host tag: 8 hex characters of a hash of its host name. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** Prefix of a lock's content, so a stray symlink is never mistaken for a lock's owner. */
const PREFIX = 'krx-lock:';
const OWNER = /^krx-lock:(\d+):([0-9a-f]{8}):([0-9a-f]+)$/;
/** Error codes of file systems (or Windows without privileges) that cannot create symlinks. */
const NO_SYMLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** A fresh owner record of this process. */
export function newOwner(): LockOwner {
  return { pid: process.pid, host: HOST_TAG, token: randomBytes(6).toString('hex') };
}

/**
 * Creates the lock file at `path` naming `owner`, creating its folder when missing.
 * @returns false when `path` already exists
 */
export async function createLockFile(path: string, owner: LockOwner, ensureDir: (dir: string) => Promise<void>): Promise<boolean> {
  const record = `${PREFIX}${owner.pid}:${owner.host}:${owner.token}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await symlink(record, path);
      return true;
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'EEXIST') return false;
      if (code === 'ENOENT' && attempt === 0) await ensureDir(dirname(path));
      else if (NO_SYMLINKS.has(code ?? '')) return createRegular(path, record);
      else throw e;
    }
  }
}

/** The owner of the lock at `path`; `'gone'` when it does not exist, `undefined` when unreadable. */
export async function readOwner(path: string): Promise<LockOwner | 'gone' | undefined> {
  try {
    return parseOwner(await readlink(path));
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return 'gone';
    if (errnoOf(e) !== 'EINVAL') throw e;
  }
  // EINVAL: a regular file, made where symlinks are not available
  const text = await readFile(path, 'utf8').catch((e: unknown) => (errnoOf(e) === 'ENOENT' ? undefined : ''));
  return text === undefined ? 'gone' : parseOwner(text);
}

/** The lock's age in ms (since its last heartbeat), or `undefined` when it does not exist. */
export async function lockAge(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await lstat(path)).mtimeMs;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Refreshes the lock's mtime (the link itself, not its target); never throws. */
export async function touchLock(path: string): Promise<void> {
  const now = new Date();
  await lutimes(path, now, now).catch(() => undefined);
}

/** Deletes the lock at `path` only if `owner` still holds it; never throws. */
export async function removeOwnLock(path: string, owner: LockOwner): Promise<void> {
  const current = await readOwner(path).catch(() => undefined);
  // if ours was broken as stale, the file there now belongs to someone else
  if (typeof current === 'object' && current.token === owner.token) await unlink(path).catch(() => undefined);
}

function parseOwner(text: string): LockOwner | undefined {
  const m = OWNER.exec(text);
  return m ? { pid: Number(m[1]), host: m[2]!, token: m[3]! } : undefined;
}

/** Fallback without symlinks: exclusive create, then write (so an empty file exists briefly). */
async function createRegular(path: string, record: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    await writeAll(fh, Buffer.from(record), 0);
    return true;
  } catch (e) {
    await removeQuietly(path);
    throw e;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
