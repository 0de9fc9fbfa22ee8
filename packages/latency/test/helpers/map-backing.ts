/** A tiny Map-based BackingStore for testing the latency wrapper without memory or core. */
import type { BackingStore, BatchEntry, BlobHandle } from '@konserve-rx/core';

/** A synchronous Map backing; `full` adds every optional method. */
export function mapBacking(full = false): BackingStore & { readonly blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  const base = {
    blobs,
    capabilities: { syncResults: true, atomicMulti: true, durable: false, multiProcess: false },
    read: (id: string) => blobs.get(id)?.slice(),
    write: (id: string, data: Uint8Array) => void blobs.set(id, data),
    delete: (id: string) => blobs.delete(id),
    has: (id: string) => blobs.has(id),
    list: () => [...blobs.keys()],
  };
  if (!full) return base;
  return {
    ...base,
    readHead: (id: string, length: number) => blobs.get(id)?.slice(0, length),
    open: (id: string): BlobHandle | undefined => {
      const blob = blobs.get(id);
      return blob && { size: blob.length, read: (p: number, l: number) => blob.slice(p, p + l), close: () => undefined };
    },
    writeStream: async (id: string, chunks: AsyncIterable<Uint8Array>, head: () => Uint8Array) => {
      const parts: number[] = [];
      for await (const c of chunks) parts.push(...c);
      const data = Uint8Array.from(parts);
      data.set(head(), 0);
      blobs.set(id, data);
    },
    writeBatch: (entries: readonly BatchEntry[]) => {
      for (const [id, data] of entries)
        if (data === null) blobs.delete(id);
        else blobs.set(id, data);
    },
    lock: () => () => undefined,
    close: () => undefined,
  };
}

/** The UTF-8 bytes of a string. */
export function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** The string of UTF-8 bytes (or undefined). */
export function text(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : new TextDecoder().decode(b);
}
