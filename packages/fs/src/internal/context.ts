/** What the write paths of one backing share: the fsync setting, the folder-fsync coalescer, folder creation. */
import { lstat, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createDirSync, type DirSync } from './dir-sync';
import { storeFolderGone } from './errors';
import { errnoOf } from './fs-util';

/** Shared state of one file backing's write paths. */
export interface FileContext {
  /** Flush file data and folder entries before a write completes. */
  readonly fsync: boolean;
  /** Flushes a folder's entries, coalescing concurrent requests. */
  readonly dirSync: DirSync;
  /** Creates the store folder with its parents (only when opening); with fsync, makes the new entries durable. */
  ensureRoot(): Promise<void>;
  /**
   * Creates a folder directly inside the store folder (a shard, the sessions folder), or checks
   * that the store folder itself still exists. Never re-creates the store folder: once it is
   * gone, errors with `ERR_IO` naming it (see docs/fs.md, "A store folder deleted while open").
   */
  ensureDir(dir: string): Promise<void>;
}

/** Creates the shared context of one backing whose store folder is `root`. */
export function createContext(fsync: boolean, root: string): FileContext {
  const dirSync = createDirSync();
  const ensureRoot = async (): Promise<void> => {
    const created = await makeDirs(root);
    if (created === undefined || !fsync) return;
    // a new folder is only durable once the entry in its parent is: flush each new level's parent
    await dirSync(dirname(root));
    if (created !== root) await dirSync(dirname(created));
  };
  const ensureDir = async (dir: string): Promise<void> => {
    if (dir === root) {
      // the caller found a name missing in the store folder: either a race, or the folder is gone
      await lstat(root).catch((e: unknown) => Promise.reject(errnoOf(e) === 'ENOENT' ? storeFolderGone(root, e) : e));
      return;
    }
    try {
      // not recursive: re-creating a deleted store folder here would leave a store without its marker
      await mkdir(dir);
    } catch (e) {
      if (errnoOf(e) === 'EEXIST') return;
      throw errnoOf(e) === 'ENOENT' ? storeFolderGone(root, e) : e;
    }
    if (fsync) await dirSync(root);
  };
  return { fsync, dirSync, ensureRoot, ensureDir };
}

/**
 * `mkdir -p`: creates `dir` and its missing parents; resolves to the topmost folder it created
 * (`undefined` when `dir` existed). Node's own `mkdir(dir, { recursive: true })` reports a
 * read-only file system (EROFS) as ENOENT; this one reports the error of the level that failed.
 */
async function makeDirs(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir);
    return dir;
  } catch (e) {
    const code = errnoOf(e);
    // a regular file in the way fails with this EEXIST, naming it
    if (code === 'EEXIST') return (await stat(dir)).isDirectory() ? undefined : Promise.reject(e);
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
    const top = await makeDirs(parent);
    await mkdir(dir).catch((again: unknown) => (errnoOf(again) === 'EEXIST' ? undefined : Promise.reject(again)));
    return top ?? dir;
  }
}
