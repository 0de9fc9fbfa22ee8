/**
 * Removal of temp files left by writes that never committed (a crash between creating the temp
 * file and renaming it). Runs when a backing opens. Temp files of other live processes are in
 * flight and kept; our own pid's files are kept only while this process is writing them.
 */
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { liveTemps } from './atomic-write';
import { errnoOf, isAlive, removeQuietly, toIoError } from './internal/fs-util';
import { isShardName, tempOwner, type Layout } from './paths';

/** A temp file older than this is removed even if its pid is alive (then the pid was reused). */
export const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Removes leftover temp files in the root and (when sharded) every shard folder.
 * @returns how many were removed. Errors with `ERR_IO` when a folder cannot be listed.
 */
export async function removeLeftoverTemps(layout: Layout): Promise<number> {
  let removed = await cleanFolder(layout.root);
  if (!layout.shard) return removed;
  const dir = await opendir(layout.root).catch((e: unknown) => Promise.reject(toIoError(e, layout.root)));
  try {
    for await (const entry of dir) {
      if (isShardName(entry.name) && !entry.isFile()) removed += await cleanFolder(join(layout.root, entry.name));
    }
  } catch (e) {
    throw toIoError(e, layout.root);
  }
  return removed;
}

async function cleanFolder(folder: string): Promise<number> {
  let removed = 0;
  try {
    for await (const entry of await opendir(folder)) {
      const pid = tempOwner(entry.name);
      if (pid === undefined) continue;
      const path = join(folder, entry.name);
      if (await isLeftover(path, pid)) {
        await removeQuietly(path);
        removed++;
      }
    }
  } catch (e) {
    // a shard folder that is not a folder (or vanished) holds no temp files
    if (errnoOf(e) === 'ENOTDIR' || errnoOf(e) === 'ENOENT') return removed;
    throw toIoError(e, folder);
  }
  return removed;
}

async function isLeftover(path: string, pid: number): Promise<boolean> {
  if (pid === process.pid) return !liveTemps.has(path);
  if (!isAlive(pid)) return true;
  const st = await lstat(path).catch(() => undefined);
  return st !== undefined && Date.now() - st.mtimeMs > TEMP_MAX_AGE_MS;
}
