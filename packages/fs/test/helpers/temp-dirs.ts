/** Fresh temp folders for tests, removed after the test file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/** Every file name under `root` (one level of sub-folders deep), relative to it. */
export async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
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
