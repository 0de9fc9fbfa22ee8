/**
 * A child process for the cold-open measurement: opens an existing file store (connectFileStore),
 * reads one key, and prints JSON with the times and how many folder entries were listed, so the
 * parent can tell whether opening scans every file. Run: `node dist/cold-open.js <path> <key>`.
 */
// the module object itself (not an interop copy), so patching it reaches the fs package
import fsp = require('node:fs/promises');
import { performance } from 'node:perf_hooks';
import { firstValueFrom } from 'rxjs';

/** What one cold open measured. */
export interface ColdOpen {
  /** connectFileStore until the Store is emitted, in ms. */
  readonly connectMs: number;
  /** The first get after that, in ms. */
  readonly firstGetMs: number;
  /** Folders listed (opendir/readdir calls) during both. */
  readonly foldersListed: number;
  /** Folder entries read during both. */
  readonly entriesRead: number;
  /** Whether the first get found the key. */
  readonly found: boolean;
}

/** Folder listings counted so far, and how to stop counting. */
export interface ListingCounter {
  folders: number;
  entries: number;
  /** Puts the original `opendir`/`readdir` back. */
  restore(): void;
}

/** Counts folder listings from now on (the fs package calls `opendir`/`readdir` through the module object). */
export function countListings(): ListingCounter {
  const mod = fsp as unknown as Record<string, unknown>;
  const opendir = fsp.opendir;
  const readdir = fsp.readdir;
  const counts: ListingCounter = {
    folders: 0,
    entries: 0,
    restore: () => {
      mod['opendir'] = opendir;
      mod['readdir'] = readdir;
    },
  };
  mod['opendir'] = async (...args: Parameters<typeof fsp.opendir>) => {
    const dir = await opendir(...args);
    counts.folders++;
    const iterate = dir[Symbol.asyncIterator].bind(dir);
    Object.defineProperty(dir, Symbol.asyncIterator, {
      value: async function* () {
        for await (const entry of iterate()) {
          counts.entries++;
          yield entry;
        }
      },
    });
    return dir;
  };
  mod['readdir'] = async (...args: Parameters<typeof fsp.readdir>) => {
    const names = await (readdir as (...a: unknown[]) => Promise<unknown[]>)(...args);
    counts.folders++;
    counts.entries += names.length;
    return names;
  };
  return counts;
}

/** Opens the store at `path`, reads `key`, and reports times and folder listings (cold only in a fresh process). */
export async function measureColdOpen(path: string, key: string): Promise<ColdOpen> {
  const counts = countListings();
  try {
    // loaded after patching, like a fresh application would load it
    const { connectFileStore } = await import('@konserve-rx/fs');
    const t0 = performance.now();
    const store = await firstValueFrom(connectFileStore({ path, fsync: true }));
    const t1 = performance.now();
    const value = await firstValueFrom(store.get(key));
    const t2 = performance.now();
    await firstValueFrom(store.close());
    return { connectMs: t1 - t0, firstGetMs: t2 - t1, foldersListed: counts.folders, entriesRead: counts.entries, found: value !== undefined };
  } finally {
    counts.restore();
  }
}

async function main(path: string, key: string): Promise<void> {
  process.stdout.write(`${JSON.stringify(await measureColdOpen(path, key))}\n`);
}

if (require.main === module) {
  const [path, key] = process.argv.slice(2);
  if (path === undefined || key === undefined) {
    process.stderr.write('usage: node dist/cold-open.js <store path> <key>\n');
    process.exit(2);
  }
  main(path, key).catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  });
}
