/**
 * The minimal in-core reference backing: a Map with only the required BackingStore methods
 * (no prefix reads, handles, streams, batches or locks), so core's fallbacks are what runs.
 * With `async: true` every result arrives as a promise, exercising core's asynchronous path.
 */
import type { BackingStore, MaybePromise } from '../src/backing';

export interface ReferenceBackingOptions {
  async?: boolean;
  map?: Map<string, Uint8Array>;
}

export function referenceBacking(options: ReferenceBackingOptions = {}): BackingStore {
  const blobs = options.map ?? new Map<string, Uint8Array>();
  const answer = <T>(f: () => T): MaybePromise<T> => (options.async ? Promise.resolve().then(f) : f());
  return {
    capabilities: { syncResults: !options.async, atomicMulti: false, durable: false, multiProcess: false },
    read: (id) => answer(() => blobs.get(id)?.slice()),
    write: (id, data) => answer(() => void blobs.set(id, data.slice())),
    delete: (id) => answer(() => blobs.delete(id)),
    has: (id) => answer(() => blobs.has(id)),
    list: () => (options.async ? asyncList([...blobs.keys()]) : [...blobs.keys()]),
  };
}

async function* asyncList(ids: string[]): AsyncGenerator<string> {
  for (const id of ids) yield await Promise.resolve(id);
}
