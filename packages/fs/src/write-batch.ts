/**
 * The batched write path behind `multiAssoc`/`multiDissoc`: every new blob is written and flushed
 * to its own temp file first, so a failure there (a full disk) changes nothing; then the temp
 * files are renamed and deletions applied in entry order, then each changed folder is flushed
 * once for the whole batch. Not all-or-nothing across a crash during the rename phase, so the
 * backing reports `atomicMulti: false`.
 */
import { join } from 'node:path';
import type { BatchEntry } from '@konserve-rx/core';
import { commitTemp, discardTemp, writeAll, writeTemp, type BeforeCommit } from './atomic-write';
import type { FileContext } from './internal/context';
import { toIoError, unlinkIfExists } from './internal/fs-util';
import { blobDir, type Layout } from './paths';

/** How many temp files are written at once (bounded to stay far from the open-file limit). */
const PARALLEL_TEMPS = 16;

/**
 * Applies `entries` in order (`null` data deletes); durable when it resolves with fsync on.
 * Errors with `ERR_IO`; when the error comes from writing a temp file, no entry was applied.
 * `beforeCommit` runs once every temp file is flushed, before the first rename; when it rejects,
 * nothing is applied.
 */
export async function writeBatch(ctx: FileContext, layout: Layout, entries: readonly BatchEntry[], beforeCommit?: BeforeCommit): Promise<void> {
  const dirs = entries.map(([id]) => blobDir(layout, id));
  const temps = await writeTemps(ctx, entries, dirs);
  if (beforeCommit !== undefined) {
    try {
      await beforeCommit();
    } catch (e) {
      await Promise.all(temps.map((t) => t && discardTemp(t)));
      throw e;
    }
  }
  const changed = new Set<string>();
  let applied = 0;
  try {
    for (; applied < entries.length; applied++) {
      const [id] = entries[applied]!;
      const dir = dirs[applied]!;
      const target = join(dir, id);
      const tmp = temps[applied];
      if (tmp !== undefined) await commitTemp(tmp, target).catch((e) => Promise.reject(toIoError(e, target)));
      if (tmp !== undefined || (await unlinkBlob(target))) changed.add(dir);
    }
    if (ctx.fsync) await Promise.all([...changed].map((dir) => ctx.dirSync(dir)));
  } catch (e) {
    await Promise.all(temps.slice(applied + 1).map((t) => t && discardTemp(t)));
    throw e;
  }
}

/** Writes the temp files of all entries with data; removes them all if any fails. */
async function writeTemps(ctx: FileContext, entries: readonly BatchEntry[], dirs: string[]): Promise<(string | undefined)[]> {
  const temps: (string | undefined)[] = new Array(entries.length).fill(undefined);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < entries.length && !failed) {
      const i = next++;
      const [id, data] = entries[i]!;
      if (data === null) continue;
      try {
        temps[i] = await writeTemp(ctx, dirs[i]!, id, (fh) => writeAll(fh, data, 0));
      } catch (e) {
        failed = true;
        throw toIoError(e, join(dirs[i]!, id));
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(PARALLEL_TEMPS, entries.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) {
    await Promise.all(temps.map((t) => t && discardTemp(t)));
    throw rejected.reason;
  }
  return temps;
}

async function unlinkBlob(target: string): Promise<boolean> {
  try {
    return await unlinkIfExists(target);
  } catch (e) {
    throw toIoError(e, target);
  }
}
