/**
 * The atomic write protocol (docs/fs.md): write a unique temp file, flush it, rename it over the
 * target, flush the folder. The target is never opened for writing, so a reader or a crash sees
 * the old bytes or the new ones, never a mix.
 */
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileContext } from './internal/context';
import { errnoOf, removeQuietly, toIoError } from './internal/fs-util';
import { tempPath } from './paths';

/**
 * Temp files this process is writing right now. Leftover cleanup spares temp files of live pids;
 * this set tells our own in-flight files apart from leftovers of an earlier process that had our
 * pid (common in containers, where the app is often pid 1 on every start).
 */
export const liveTemps: ReadonlySet<string> = new Set<string>();
const temps = liveTemps as Set<string>;

/** Fills an open temp file; positions are explicit so a stream can patch its head afterwards. */
type Fill = (fh: FileHandle) => Promise<void>;

/**
 * Writes a new temp file for `name` in `dir` with `fill`, flushes it (with fsync) and closes it.
 * @returns the temp file's path; on failure the temp file is removed and the error rethrown.
 */
export async function writeTemp(ctx: FileContext, dir: string, name: string, fill: Fill): Promise<string> {
  const tmp = tempPath(dir, name);
  temps.add(tmp);
  let fh: FileHandle | undefined;
  try {
    fh = await openNew(ctx, dir, tmp);
    await fill(fh);
    if (ctx.fsync) await fh.datasync();
    const opened = fh;
    fh = undefined;
    await opened.close();
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await discardTemp(tmp);
    throw e;
  }
  return tmp;
}

/** Writes all of `data` at `position`, looping over short writes. */
export async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** Renames a flushed temp file over its target (removing the temp file if that fails). */
export async function commitTemp(tmp: string, target: string): Promise<void> {
  try {
    await rename(tmp, target);
    temps.delete(tmp);
  } catch (e) {
    await discardTemp(tmp);
    throw e;
  }
}

/** Removes a temp file that will not be committed; never throws. */
export async function discardTemp(tmp: string): Promise<void> {
  await removeQuietly(tmp);
  temps.delete(tmp);
}

/**
 * Checked right before a rename commits a write: rejects (with `ERR_LOCK_LOST`) when the lock the
 * write runs under was lost, and the temp file is then removed instead (see file-backing.ts).
 */
export type BeforeCommit = () => Promise<void>;

/** Runs `check` for a flushed temp file; removes the temp file when it rejects. */
export async function checkBeforeCommit(tmp: string, check: BeforeCommit | undefined): Promise<void> {
  if (check === undefined) return;
  try {
    await check();
  } catch (e) {
    await discardTemp(tmp);
    throw e;
  }
}

/**
 * Atomically replaces `dir/name` with `data`; with fsync it is durable when the promise resolves.
 * Errors with `ERR_IO` naming the failing path, or with what `beforeCommit` rejects with.
 */
export async function writeAtomic(ctx: FileContext, dir: string, name: string, data: Uint8Array, beforeCommit?: BeforeCommit): Promise<void> {
  const target = join(dir, name);
  try {
    const tmp = await writeTemp(ctx, dir, name, (fh) => writeAll(fh, data, 0));
    await checkBeforeCommit(tmp, beforeCommit);
    await commitTemp(tmp, target);
    if (ctx.fsync) await ctx.dirSync(dir);
  } catch (e) {
    throw toIoError(e, target);
  }
}

/**
 * Atomically replaces `dir/name` with the streamed `chunks`, holding one chunk at a time, then
 * overwrites the first bytes with `head()` before committing. Errors from `chunks` pass through.
 */
export async function writeStreamAtomic(
  ctx: FileContext,
  dir: string,
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  head: () => Uint8Array,
  beforeCommit?: BeforeCommit,
): Promise<void> {
  const target = join(dir, name);
  try {
    const tmp = await writeTemp(ctx, dir, name, async (fh) => {
      let position = 0;
      for await (const chunk of chunks) {
        await writeAll(fh, chunk, position);
        position += chunk.length;
      }
      // the head (sizes, checksums) is only known after the last chunk: patch it in place
      await writeAll(fh, head(), 0);
    });
    await checkBeforeCommit(tmp, beforeCommit);
    await commitTemp(tmp, target);
    if (ctx.fsync) await ctx.dirSync(dir);
  } catch (e) {
    throw toIoError(e, target);
  }
}

/** Opens a new temp file exclusively ('wx': never someone else's file), creating the shard folder if needed. */
async function openNew(ctx: FileContext, dir: string, tmp: string): Promise<FileHandle> {
  try {
    return await open(tmp, 'wx');
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw e;
    await ctx.ensureDir(dir);
    return open(tmp, 'wx');
  }
}
