/** What the write paths of one backing share: the fsync setting, the folder-fsync coalescer, shard creation. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createDirSync, type DirSync } from './dir-sync';

/** Shared state of one file backing's write paths. */
export interface FileContext {
  /** Flush file data and folder entries before a write completes. */
  readonly fsync: boolean;
  /** Flushes a folder's entries, coalescing concurrent requests. */
  readonly dirSync: DirSync;
  /** Creates a (shard) folder with its parents; with fsync, makes the new entries durable. */
  ensureDir(dir: string): Promise<void>;
}

/** Creates the shared context of one backing. */
export function createContext(fsync: boolean): FileContext {
  const dirSync = createDirSync();
  const ensureDir = async (dir: string): Promise<void> => {
    const created = await mkdir(dir, { recursive: true });
    if (created === undefined || !fsync) return;
    // a new folder is only durable once the entry in its parent is: flush each new level's parent
    await dirSync(dirname(dir));
    if (created !== dir) await dirSync(dirname(created));
  };
  return { fsync, dirSync, ensureDir };
}
