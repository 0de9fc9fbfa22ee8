/**
 * The read paths. Writers never modify a blob file in place (they rename a new file over it), so
 * every open file descriptor sees one complete version: reads are never torn.
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import type { BlobHandle } from '@konserve-rx/core';
import { errnoOf, toIoError } from './internal/fs-util';

/** The whole blob file, or `undefined` when missing. Errors with `ERR_IO`. */
export async function readBlob(path: string): Promise<Uint8Array | undefined> {
  try {
    return asBytes(await readFile(path));
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw toIoError(e, path);
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

/** A plain `Uint8Array` view of a Buffer (same memory), so callers see one byte type from every backing. */
function asBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
