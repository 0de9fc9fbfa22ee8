/**
 * The write paths of the Redis backing. A blob whose lock ({@link lockIdOf}) this backing holds is
 * written through the fenced script (fenced-write.ts): one round trip that fails with
 * ERR_LOCK_LOST once the lease is gone. Blobs written without a held lock use plain SET, DEL and
 * MULTI/EXEC, as before fencing. A blob that expires is set with `PXAT`: Redis drops it itself,
 * `grace` milliseconds after the instant core already treats its key as missing.
 */
import { lockIdOf, type BatchEntry } from '@konserve-rx/core';
import type { Redis } from 'ioredis';
import { fencedWrite, type HeldLock } from './fenced-write';

/** The write methods of the backing. */
export interface BlobWrites {
  write(id: string, data: Uint8Array, expiresAt?: number): Promise<void>;
  delete(id: string): Promise<boolean>;
  writeBatch(entries: readonly BatchEntry[]): Promise<void>;
}

/**
 * Builds the write methods over `client`.
 * @param blob - the Redis key of a blob id
 * @param held - the locks this backing holds now, by lock id (read at each write)
 * @param grace - how long after a blob's `expiresAt` Redis drops it, in milliseconds
 */
export function blobWrites(client: Redis, blob: (id: string) => string, held: ReadonlyMap<string, HeldLock>, grace: number): BlobWrites {
  const dropAt = (expiresAt: number | undefined): number | undefined => dropTime(expiresAt, grace);
  const locksOf = (ids: readonly string[]): HeldLock[] => {
    const locks = new Set<HeldLock>();
    for (const id of ids) {
      const lock = held.get(lockIdOf(id));
      if (lock !== undefined) locks.add(lock);
    }
    return [...locks];
  };
  return {
    write: async (id, data, expiresAt) => {
      const locks = locksOf([id]);
      const at = dropAt(expiresAt);
      if (locks.length > 0) await fencedWrite(client, locks, [[blob(id), bufferOf(data), at]]);
      else if (at === undefined) await client.set(blob(id), bufferOf(data));
      else await client.set(blob(id), bufferOf(data), 'PXAT', at);
    },
    delete: async (id) => {
      const locks = locksOf([id]);
      return (locks.length > 0 ? await fencedWrite(client, locks, [[blob(id), null]]) : await client.del(blob(id))) > 0;
    },
    writeBatch: async (entries) => {
      const locks = locksOf(entries.map(([id]) => id));
      // the script is atomic like MULTI/EXEC, and checks the tokens in the same step
      if (locks.length > 0)
        await fencedWrite(
          client,
          locks,
          entries.map(([id, data, expiresAt]) => [blob(id), data === null ? null : bufferOf(data), dropAt(expiresAt)]),
        );
      else await multiWrite(client, entries, blob, dropAt);
    },
  };
}

async function multiWrite(
  client: Redis,
  entries: readonly BatchEntry[],
  blob: (id: string) => string,
  dropAt: (expiresAt?: number) => number | undefined,
): Promise<void> {
  const multi = client.multi();
  for (const [id, data, expiresAt] of entries) {
    const at = dropAt(expiresAt);
    if (data === null) multi.del(blob(id));
    else if (at === undefined) multi.set(blob(id), bufferOf(data));
    else multi.set(blob(id), bufferOf(data), 'PXAT', at);
  }
  const results = await multi.exec();
  if (results === null) throw new Error('MULTI/EXEC was aborted');
  const failed = results.find(([err]) => err !== null);
  if (failed) throw failed[0];
}

/** A Buffer view of `data` (no copy), as ioredis sends binary values. */
export function bufferOf(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * When Redis drops a blob whose key expires at `expiresAt`: `grace` later, since the server's clock
 * may differ from the Store's (a blob must never vanish while its key still reads as live).
 * @returns milliseconds since the epoch for `SET ... PXAT`, or `undefined` for a blob that never expires
 */
export function dropTime(expiresAt: number | undefined, grace: number): number | undefined {
  return expiresAt === undefined ? undefined : Math.ceil(expiresAt + grace);
}
