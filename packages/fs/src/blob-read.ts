/**
 * The read paths. Writers never modify a blob file in place (they rename a new file over it), so
 * every open file descriptor sees one complete version: reads are never torn.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { BlobHandle } from '@konserve-rx/core';
import { errnoOf, toIoError } from './internal/fs-util';

/**
 * The whole blob file, or `undefined` when missing. Errors with `ERR_IO`.
 *
 * Three system calls for a blob up to {@link FIRST_READ} bytes (open, one read, close) where
 * `readFile` makes four (it asks fstat for the size first): every call is a round trip through
 * libuv's thread pool, so this is a quarter less latency and thread-pool work per read.
 */
export async function readBlob(path: string): Promise<Uint8Array | undefined> {
  const fh = await openOrUndefined(path);
  if (fh === undefined) return undefined;
  try {
    return await readWhole(fh);
  } catch (e) {
    throw toIoError(e, path);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The size of the first read of a whole blob: most values fit, so most reads need no fstat. */
export const FIRST_READ = 16 * 1024;

/** Scratch buffers of {@link FIRST_READ} bytes, reused by reads in turn (at most {@link SPARE_LIMIT} kept). */
const spare: Uint8Array[] = [];
const SPARE_LIMIT = 64;

/**
 * Reads the whole file behind `fh`. A read of a regular file returns fewer bytes than asked only
 * at the end of the file (POSIX), so a first read that does not fill the scratch buffer has read
 * everything. Writers never change a blob file in place, so the size of this version is fixed.
 */
async function readWhole(fh: FileHandle): Promise<Uint8Array> {
  const scratch = spare.pop() ?? new Uint8Array(FIRST_READ);
  try {
    const { bytesRead } = await fh.read(scratch, 0, FIRST_READ, 0);
    if (bytesRead < FIRST_READ) return scratch.slice(0, bytesRead);
    const size = (await fh.stat()).size;
    const rest = await readAt(fh, FIRST_READ, Math.max(0, size - FIRST_READ));
    const out = new Uint8Array(FIRST_READ + rest.length);
    out.set(scratch);
    out.set(rest, FIRST_READ);
    return out;
  } finally {
    if (spare.length < SPARE_LIMIT) spare.push(scratch);
  }
}

/** Whether the blob file exists (one stat, no open). */
export async function hasBlob(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw toIoError(e, path);
  }
}

/** At most the first `length` bytes (open + read + close), or `undefined` when missing. */
export async function readBlobHead(path: string, length: number): Promise<Uint8Array | undefined> {
  const fh = await openOrUndefined(path);
  if (fh === undefined) return undefined;
  try {
    return await readAt(fh, 0, length);
  } catch (e) {
    throw toIoError(e, path);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Opens the blob for positional reads; its size comes from fstat of this very version. */
export async function openBlob(path: string): Promise<BlobHandle | undefined> {
  const fh = await openOrUndefined(path);
  if (fh === undefined) return undefined;
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw toIoError(e, path);
  }
  return {
    size,
    read: (position, length) => readAt(fh, position, length).catch((e: unknown) => Promise.reject(toIoError(e, path))),
    close: () => fh.close().catch((e: unknown) => Promise.reject(toIoError(e, path))),
  };
}

/** Reads up to `length` bytes at `position`, looping over short reads; shorter only at the end. */
async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(Math.max(0, length));
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

async function openOrUndefined(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw toIoError(e, path);
  }
}
