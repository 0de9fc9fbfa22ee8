/**
 * Lock files as symbolic links whose target text is the owner record, like Emacs's `.#file`
 * locks: `symlink(2)` creates the name and its content in one atomic step (failing with EEXIST
 * when it exists), so a crash can never leave an ownerless lock, and taking a lock is a single
 * system call. On file systems without symlinks a regular file is created with `'wx'` instead.
 * The link's own mtime (`lstat`, `lutimes`) is the heartbeat; the target is never resolved.
 * The target `krx-lock:<pid>:<host tag>:<token>[:<start>]` stays under 60 bytes, so ext4 keeps it
 * inside the inode (a "fast symlink": no data block to allocate and free per lock). `<start>` is
 * the owner's start time where the platform tells it (Linux), so that a later process that reuses
 * a dead owner's pid is not taken for the owner.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  /** When the owner process started, in the platform's clock ticks since boot; absent where unknown. */
  readonly start?: string;
}

/** This machine's host tag: 8 hex characters of a hash of its host name. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** Prefix of a lock's content, so a stray symlink is never mistaken for a lock's owner. */
const PREFIX = 'krx-lock:';
const OWNER = /^krx-lock:(\d+):([0-9a-f]{8}):([0-9a-f]+)(?::(\d+))?$/;
/** Error codes of file systems (or Windows without privileges) that cannot create symlinks. */
const NO_SYMLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** This process's start time (see {@link LockOwner.start}), read once. */
const OWN_START = startTimeOf(() => readFileSync('/proc/self/stat', 'utf8'));

/** A fresh owner record of this process. */
export function newOwner(): LockOwner {
  const owner = { pid: process.pid, host: HOST_TAG, token: randomBytes(6).toString('hex') };
  return OWN_START === undefined ? owner : { ...owner, start: OWN_START };
}

/** What Linux `/proc/<pid>/stat` tells about a process: its state letter and start time. */
export interface ProcessStat {
  /** `R`, `S`, `D`, `T`, ...; `Z` (zombie) and `X` (dead) mean it has exited. */
  readonly state: string;
  /** Compared with {@link LockOwner.start}. */
  readonly start: string | undefined;
}

/**
 * The state and start time of process `pid` of this host; `undefined` when the platform does not
 * tell them (no Linux `/proc`) or the process is gone.
 */
export async function processStat(pid: number): Promise<ProcessStat | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  return { state: stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3), start: startTimeOf(() => stat) };
}

/**
 * Creates the lock file at `path` naming `owner`, creating its folder when missing.
 * @returns false when `path` already exists
 */
export async function createLockFile(path: string, owner: LockOwner, ensureDir: (dir: string) => Promise<void>): Promise<boolean> {
  const record = `${PREFIX}${owner.pid}:${owner.host}:${owner.token}${owner.start === undefined ? '' : `:${owner.start}`}`;
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

/** Whether the lock at `path` still names `owner` (false when it is gone or names another token). */
export async function ownsLock(path: string, owner: LockOwner): Promise<boolean> {
  const current = await readOwner(path);
  return typeof current === 'object' && current.token === owner.token;
}

/** Deletes the lock at `path` only if `owner` still holds it; never throws. */
export async function removeOwnLock(path: string, owner: LockOwner): Promise<void> {
  // if ours was broken as stale, the file there now belongs to someone else
  if (await ownsLock(path, owner).catch(() => false)) await unlink(path).catch(() => undefined);
}

function parseOwner(text: string): LockOwner | undefined {
  const m = OWNER.exec(text);
  if (!m) return undefined;
  const owner = { pid: Number(m[1]), host: m[2]!, token: m[3]! };
  return m[4] === undefined ? owner : { ...owner, start: m[4] };
}

/** Field 22 (`starttime`) of a Linux `/proc/<pid>/stat` text, or `undefined` when unreadable. */
function startTimeOf(read: () => string): string | undefined {
  let stat: string;
  try {
    stat = read();
  } catch {
    return undefined;
  }
  // the command name (field 2, in parentheses) may contain spaces: count fields after it
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
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
