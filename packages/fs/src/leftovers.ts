/**
 * Removal of what crashed processes leave behind, when a backing opens: temp files of writes
 * that never committed (a crash between creating the temp file and renaming it) and lock files
 * of dead owners. Temp files of other live processes are in flight and kept; our own pid's files
 * are kept only while this process is writing them.
 */
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { liveTemps } from './atomic-write';
import { removeIfAbandoned, type FileLockOptions } from './file-lock';
import { errnoOf, isAlive, removeQuietly, toIoError } from './internal/fs-util';
import { isLockName, isShardName, tempOwner, type Layout } from './paths';

/** A temp file older than this is removed even if its pid is alive (then the pid was reused). */
export const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Removes leftover temp files and abandoned lock files in the root and every shard folder.
 * @param layout - the store's folders
 * @param locks - how locks are judged (lock files older than `staleMs` are abandoned whatever their pid)
 * @returns how many temp files were removed. Errors with `ERR_IO` when a folder cannot be listed.
 */
export async function removeLeftovers(layout: Layout, locks: FileLockOptions): Promise<number> {
  let removed = await cleanOne(layout.root, locks);
  if (!layout.shard) return removed;
  const shards: string[] = [];
  const dir = await opendir(layout.root).catch((e: unknown) => Promise.reject(toIoError(e, layout.root)));
  try {
    for await (const entry of dir) {
      if (isShardName(entry.name) && !entry.isFile()) shards.push(join(layout.root, entry.name));
    }
  } catch (e) {
    throw toIoError(e, layout.root);
  }
  // a few shard folders at once: listing is a thread-pool round trip per batch of entries, and
  // the pool has several threads
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < shards.length) {
      const n = await cleanOne(shards[next++]!, locks);
      removed += n;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FOLDERS, shards.length) }, worker));
  return removed;
}

/** Shard folders swept at once. */
const PARALLEL_FOLDERS = 4;
/**
 * Folder entries read per listing call. Node's default (32) costs a thread-pool round trip per 32
 * names, which made opening a 100k-key store take half a second; memory stays bounded either way.
 */
const LIST_BATCH = 1024;

async function cleanOne(folder: string, locks: FileLockOptions): Promise<number> {
  let removed = 0;
  try {
    for await (const entry of await opendir(folder, { bufferSize: LIST_BATCH })) {
      // temp, lock and breaker names all contain '~', blob ids never do: skip blobs cheaply
      if (!entry.name.includes('~')) continue;
      const path = join(folder, entry.name);
      // best effort: a lock we cannot judge or remove is recovered by its next waiter anyway
      if (isLockName(entry.name)) await removeIfAbandoned(path, locks).catch(() => undefined);
      const pid = tempOwner(entry.name);
      if (pid === undefined) continue;
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
