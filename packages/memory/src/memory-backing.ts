/** The in-memory backing: blobs in a Map, every operation completes synchronously. */
import { checkOptions, type BackingStore, type BatchEntry } from '@konserve-rx/core';
import { ArenaBlobs } from './arena';
import { MEMORY_BACKING_OPTIONS, type MemoryBackingOptions } from './options';

/**
 * Creates an in-memory backing: blobs live in a Map, and every method returns a plain value, so
 * Store operations over it emit synchronously on subscribe.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param options - an optional Map to share
 * @returns a BackingStore with `syncResults` and atomic batches
 * @example
 * ```ts
 * const store = createStore(memoryBacking());
 * ```
 */
export function memoryBacking(options: MemoryBackingOptions = {}): BackingStore {
  checkOptions('memoryBacking', options, MEMORY_BACKING_OPTIONS);
  const map = options.map ?? new Map<string, Uint8Array>();
  // writes keep blobs as they come (views into core's slabs) and compact now and then (arena.ts):
  // memory held stays within a small multiple of the bytes kept
  const blobs = new ArenaBlobs(map);
  return {
    capabilities: { syncResults: true, atomicMulti: true, durable: false, multiProcess: false, stableArrays: true },
    // core never mutates the bytes it reads: every read hands out the kept array itself
    read: (id) => map.get(id),
    readHead: (id, length) => map.get(id)?.subarray(0, length),
    write: (id, data) => {
      blobs.set(id, data);
    },
    // one synchronous loop: no other operation can observe a half-applied batch
    writeBatch: (entries: readonly BatchEntry[]) => {
      for (const [id, data] of entries) {
        if (data === null) blobs.delete(id);
        else blobs.set(id, data);
      }
    },
    delete: (id) => blobs.delete(id),
    has: (id) => map.has(id),
    list: () => [...map.keys()],
    // a Map has no order by key: the ids are filtered by name (never by reading a blob), in one
    // pass that copies only the matches
    listPrefix: (prefix) => {
      const ids: string[] = [];
      for (const id of map.keys()) if (id.startsWith(prefix)) ids.push(id);
      return ids;
    },
  };
}
