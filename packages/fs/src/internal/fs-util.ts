/** Small filesystem helpers shared by the write, lock and open paths. */
import { open, unlink } from 'node:fs/promises';
import { ioError } from '@konserve-rx/core';

/** The `code` of a Node system error (`'ENOENT'`, ...), or `undefined`. */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for errors raised by a system call (they carry `syscall`), as opposed to a caller's stream. */
export function isSystemError(e: unknown): boolean {
  return typeof (e as { syscall?: unknown } | null)?.syscall === 'string';
}

/** Wraps a system error as `ERR_IO` naming the failing path (its own, else `path`); rethrows others as they are. */
export function toIoError(e: unknown, path: string): unknown {
  if (!isSystemError(e)) return e;
  const own = failingPath(e as { syscall: string; path?: unknown; dest?: unknown });
  return ioError(e, undefined, own ?? path);
}

/** The file a failed system call was creating or reading. */
function failingPath(e: { syscall: string; path?: unknown; dest?: unknown }): string | undefined {
  // symlink(target, path) reports the link's content as `path` (for a lock: its owner record)
  // and the link being created as `dest`
  const own = e.syscall === 'symlink' ? e.dest : e.path;
  return typeof own === 'string' ? own : undefined;
}

/** Deletes a file, ignoring a missing one; resolves to whether it existed. */
export async function unlinkIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Best-effort removal of a file we own (a temp file after a failed write); never throws. */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** Flushes a folder's entries (a rename or unlink in it) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals renames itself
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** True when a process with this pid exists on this machine (`kill(pid, 0)` only probes). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user
    return errnoOf(e) === 'EPERM';
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  // not unref'd: a process whose only pending work is waiting for a lock must not exit mid-wait
  return new Promise((resolve) => setTimeout(resolve, ms));
}
