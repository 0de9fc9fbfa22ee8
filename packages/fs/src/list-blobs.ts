/**
 * Streams the blob ids of a store folder with `opendir`, one shard folder at a time, so listing a
 * large store never holds every name in memory. Temp, lock and marker files are skipped: their
 * names lie outside the blob id alphabet.
 */
import type { Dir, Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf, toIoError } from './internal/fs-util';
import { isBlobName, isShardName, shardOf, type Layout } from './paths';

/** Every blob id in the store, in directory order. Errors with `ERR_IO` naming the folder. */
export async function* listBlobs(layout: Layout): AsyncGenerator<string, void, undefined> {
  if (!layout.shard) {
    yield* blobsIn(layout.root, undefined);
    return;
  }
  const root = await openDir(layout.root);
  if (root === undefined) return;
  try {
    for await (const entry of root) {
      if (isShardName(entry.name) && (await kind(layout.root, entry)) === 'dir') {
        yield* blobsIn(join(layout.root, entry.name), entry.name);
      }
    }
  } catch (e) {
    throw toIoError(e, layout.root);
  }
}

/**
 * The blob ids that start with `prefix` (a scope's prefix), filtered by file name: in a sharded
 * store all of them live in the one shard folder of the prefix's first characters, so only that
 * folder is read; no blob file is opened.
 */
export async function* listBlobsWithPrefix(layout: Layout, prefix: string): AsyncGenerator<string, void, undefined> {
  if (!layout.shard) {
    yield* blobsIn(layout.root, undefined, prefix);
    return;
  }
  const shard = shardOf(prefix);
  yield* blobsIn(join(layout.root, shard), shard, prefix);
}

/** The blob files of one folder (those starting with `prefix`); in a shard folder only ids that belong to that shard. */
async function* blobsIn(dir: string, shard: string | undefined, prefix = ''): AsyncGenerator<string, void, undefined> {
  const handle = await openDir(dir);
  if (handle === undefined) return;
  try {
    for await (const entry of handle) {
      if (!entry.name.startsWith(prefix) || !isBlobName(entry.name) || (shard !== undefined && shardOf(entry.name) !== shard)) continue;
      if ((await kind(dir, entry)) === 'file') yield entry.name;
    }
  } catch (e) {
    throw toIoError(e, dir);
  }
}

/** Opens a folder for streaming; `undefined` when it vanished (a shard removed meanwhile). */
async function openDir(dir: string): Promise<Dir | undefined> {
  try {
    return await opendir(dir);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw toIoError(e, dir);
  }
}

/** The entry's type; some filesystems do not report it in the listing, then we ask lstat. */
async function kind(dir: string, entry: Dirent): Promise<'file' | 'dir' | 'other'> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  if (entry.isSymbolicLink() || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) {
    return 'other';
  }
  const st = await lstat(join(dir, entry.name)).catch(() => undefined);
  return st?.isFile() ? 'file' : st?.isDirectory() ? 'dir' : 'other';
}
