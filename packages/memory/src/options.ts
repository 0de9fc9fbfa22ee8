/** The options of the in-memory backing. */
import { optionNames } from '@konserve-rx/core';

/** Options of `memoryBacking`. */
export interface MemoryBackingOptions {
  /**
   * A Map to keep the blobs in, so several stores (or a store reopened in a test) can share data.
   * @default a new Map
   */
  map?: Map<string, Uint8Array>;
}

/** Every option name of {@link MemoryBackingOptions}. */
export const MEMORY_BACKING_OPTIONS = optionNames<MemoryBackingOptions>({ map: true });
