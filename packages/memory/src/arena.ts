/**
 * How the memory backing keeps blobs without keeping much memory it does not use. A small blob
 * from core is a view into a slab shared with other blobs (core's blob-slab.ts), and keeping the
 * view keeps the whole slab alive. Copying every blob into an array of its own would cost an
 * allocation per write, dearer than the rest of the write; so views are kept as they arrive, and
 * now and then a compaction copies the blobs that hold sparse buffers alive into an arena.
 *
 * Invariants:
 * - Bytes are never written again once a view of them was handed out: every view a reader ever
 *   got keeps its bytes (the BackingStore contract). Copies go to fresh places in an arena.
 * - Right after a compaction, every buffer the Map holds views of (but the arena being filled)
 *   is at least a quarter live. A compaction runs once the bytes written and deleted since the
 *   last one exceed the bytes kept now (and at least {@link COMPACT_AFTER}), so memory held stays
 *   within a small multiple of the bytes kept (measured: about 2.5x after uniform overwrites),
 *   plus that allowance. A compaction walks the Map, so its cost per write is a constant, and it
 *   copies only blobs of buffers less than a quarter live.
 */
import { ownedBytes } from '@konserve-rx/core';

/** The size of one arena (below the size at which allocators map fresh pages for each array). */
export const ARENA_SIZE = 64 * 1024;
/** Blobs larger than this keep an array of their own (a copy only when they arrive as a view). */
export const ARENA_MAX_BLOB = 16 * 1024;
/** Bytes written and deleted between two compactions, at least. */
export const COMPACT_AFTER = 256 * 1024;

/** The writes of one memory backing into its Map (blob id to bytes), with the memory under them compacted now and then. */
export class ArenaBlobs {
  private arena: Uint8Array | undefined;
  private used = 0;
  /** The bytes of every blob in the Map put there by this instance. */
  private live = 0;
  /** Bytes written and deleted since the last compaction. */
  private churn = 0;

  /** @param blobs - the Map the blobs are kept in (it may be shared, and hold blobs put there by others) */
  constructor(readonly blobs: Map<string, Uint8Array>) {}

  /** Replaces the blob under `id` with `data` (or a copy of it). */
  set(id: string, data: Uint8Array): void {
    const size = data.byteLength;
    const whole = data.buffer.byteLength;
    // a large blob gets an array of its own; a small view of a buffer larger than an arena (a
    // file read whole, say) is copied at once; any other view is kept as it is until compacted
    const old = this.blobs.get(id);
    this.blobs.set(id, size > ARENA_MAX_BLOB ? ownedBytes(data) : whole > ARENA_SIZE ? this.copy(data) : data);
    this.live += size - (old?.byteLength ?? 0);
    this.churned(size);
  }

  /** Deletes the blob under `id`; true when there was one. */
  delete(id: string): boolean {
    const old = this.blobs.get(id);
    if (old === undefined) return false;
    this.blobs.delete(id);
    this.live -= old.byteLength;
    this.churned(old.byteLength);
    return true;
  }

  private churned(bytes: number): void {
    this.churn += bytes;
    if (this.churn > COMPACT_AFTER && this.churn > this.live) this.compact();
  }

  /** A copy of `data` in the arena. */
  private copy(data: Uint8Array): Uint8Array {
    const size = data.byteLength;
    if (this.arena === undefined || this.used + size > ARENA_SIZE) {
      this.arena = new Uint8Array(ARENA_SIZE);
      this.used = 0;
    }
    const at = this.used;
    this.arena.set(data, at);
    // the next blob starts on an 8-byte boundary, where copies run fastest
    this.used = (at + size + 7) & ~7;
    return new Uint8Array(this.arena.buffer, at, size);
  }

  /** Copies the blobs of buffers less than a quarter live into the arena. */
  private compact(): void {
    const live = new Map<ArrayBufferLike, number>();
    for (const bytes of this.blobs.values()) {
      if (bytes.byteLength !== bytes.buffer.byteLength) live.set(bytes.buffer, (live.get(bytes.buffer) ?? 0) + bytes.byteLength);
    }
    const filling = this.arena?.buffer;
    for (const [id, bytes] of this.blobs) {
      const buffer = bytes.buffer;
      if (buffer === filling) continue;
      const used = live.get(buffer);
      if (used !== undefined && used * 4 < buffer.byteLength) this.blobs.set(id, this.copy(bytes));
    }
    this.churn = 0;
  }
}
