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
 *   is at least half live. The backing counts an upper bound of the memory under its blobs (each
 *   buffer a write brings is added) and compacts once that bound exceeds three times the bytes
 *   kept plus {@link COMPACT_AFTER}: memory held stays below that. Compactions are at least
 *   {@link COMPACT_AFTER} bytes of writes and deletes apart, so the walk over the Map costs a write
 *   a constant share of itself.
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
  /** The bytes of the blobs this instance put in the Map and has not replaced or deleted. */
  private live = 0;
  /**
   * An upper bound on the memory under the Map's blobs: exact after a compaction, then grown by
   * each buffer a write brings for the first time since (see `counted`).
   */
  private held = 0;
  /** The buffer of the last write: consecutive writes mostly share one, so it is checked first. */
  private lastBuffer: ArrayBufferLike | undefined;
  /**
   * The buffers already counted in `held` since the last compaction. Writes do not arrive in the
   * order their blobs were built when the backing is asynchronous (behind a latency wrapper, say),
   * so consecutive writes can alternate between a few slabs; counting each such switch again made
   * `held` grow by a slab per write, and the backing compacted after every 256 KiB of writes for
   * nothing. Weak: it must not keep a slab alive; it holds one entry per buffer, not per blob.
   */
  private counted = new WeakSet<ArrayBufferLike>();
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
    const kept = size > ARENA_MAX_BLOB ? ownedBytes(data) : whole > ARENA_SIZE ? this.copy(data) : data;
    const old = this.blobs.get(id);
    this.blobs.set(id, kept);
    const buffer = kept.buffer;
    if (buffer !== this.lastBuffer) {
      this.lastBuffer = buffer;
      if (!this.counted.has(buffer)) {
        this.counted.add(buffer);
        this.held += buffer.byteLength;
      }
    }
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

  // compacting when the memory held may exceed three times the bytes kept; at least
  // COMPACT_AFTER bytes of churn apart, so the walk costs a write a constant share of itself
  private churned(bytes: number): void {
    this.churn += bytes;
    if (this.churn > COMPACT_AFTER && this.held > 3 * this.live + COMPACT_AFTER) this.compact();
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

  /**
   * Copies the blobs of buffers less than half live into the arena, so that afterwards every
   * buffer is at least half live, and measures what is held now.
   */
  private compact(): void {
    const live = new Map<ArrayBufferLike, number>();
    for (const bytes of this.blobs.values()) live.set(bytes.buffer, (live.get(bytes.buffer) ?? 0) + bytes.byteLength);
    const filling = this.arena?.buffer;
    const sparse = new Set<ArrayBufferLike>();
    let held = 0;
    for (const [buffer, used] of live) {
      if (buffer !== filling && used * 2 < buffer.byteLength) sparse.add(buffer);
      else held += buffer.byteLength;
    }
    for (const [id, bytes] of this.blobs) {
      if (!sparse.has(bytes.buffer)) continue;
      const copy = this.copy(bytes);
      if (copy.buffer !== filling && !live.has(copy.buffer)) {
        // a new arena
        live.set(copy.buffer, ARENA_SIZE);
        held += ARENA_SIZE;
      }
      this.blobs.set(id, copy);
    }
    this.held = held;
    this.lastBuffer = undefined;
    // the buffers counted in `held` now (not the sparse ones, emptied: a later write may bring
    // another view of one, the slab being filled, and must count it again)
    this.counted = new WeakSet([...live.keys()].filter((buffer) => !sparse.has(buffer)));
    this.churn = 0;
  }
}
