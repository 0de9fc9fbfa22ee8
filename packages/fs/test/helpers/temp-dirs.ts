/** Fresh temp folders for tests, removed after the test file. */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new empty folder under the OS temp folder; removed by {@link removeTempDirs}. */
export function tempDir(prefix = 'konserve-fs-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder made by {@link tempDir}; call in afterAll. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The pid of a process that has exited (spawned and waited for). */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  if (r.pid === undefined) throw new Error('could not spawn');
  return r.pid;
}

/**
 * The folder bookkeeping of open backings (sessions.ts; sessions.test.ts checks these files) and
 * the change journal (change-journal.ts; changes.test.ts checks it).
 */
const SESSION_FILES = new Set(['konserve_rx_sessions', 'konserve_rx_exclusive~.lock', 'konserve_rx_changes']);

/**
 * Every file name under `root` (one level of sub-folders deep), relative to it: the store's
 * blobs and leftovers. Session files and the exclusive lease are left out unless `sessions`.
 */
export async function filesUnder(root: string, sessions = false): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!sessions && SESSION_FILES.has(entry.name)) continue;
    if (!entry.isDirectory()) out.push(entry.name);
    else for (const name of await readdir(join(root, entry.name))) out.push(`${entry.name}/${name}`);
  }
  return out.sort();
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** UTF-8 bytes of a string. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** A string of UTF-8 bytes. */
export const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

/** The host tag lock and session files carry (8 hex of SHA-256 of the host name), as docs/fs.md specifies. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** The lock file of blob `id` in a sharded store. */
export const lockFile = (root: string, id: string): string => join(root, id.slice(0, 2), `${id}~.lock`);

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether `path` exists as a name (lstat: a lock is a dangling symlink, which existsSync reports missing). */
export function exists(path: string): boolean {
  try {
    return lstatSync(path) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Leaves the session file of a process that crashed with the folder open (pid `pid`, which should
 * be dead): the sign that makes the next opener sweep the folder for its leftovers.
 */
export function plantDeadSession(root: string, pid: number): string {
  const dir = join(root, 'konserve_rx_sessions');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${pid}-0badc0ffee00`);
  symlinkSync(`krx-lock:${pid}:${HOST_TAG}:0badc0ffee00`, file);
  return file;
}
