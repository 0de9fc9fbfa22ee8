/** A `BlobHandle` over bytes already in memory, for blobs served from a cache. */
import type { BlobHandle } from '@konserve-rx/core';

/** Positional reads over `bytes`; every call answers synchronously. */
export function bytesHandle(bytes: Uint8Array): BlobHandle {
  return {
    size: bytes.length,
    read: (position, length) => bytes.subarray(position, position + length),
    close: () => undefined,
  };
}
