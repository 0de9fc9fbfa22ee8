/**
 * Where small blobs are built: carved out of shared slabs instead of getting an ArrayBuffer each.
 * An ArrayBuffer of its own costs a small blob about as much as encoding its value (the engine
 * allocates its memory outside the heap and the garbage collector accounts for it), while most
 * blobs live only until their backing has written them out. A slab is never written again once
 * a part of it is handed out, so every view stays valid; it is freed when its last view is.
 *
 * A view keeps its whole slab alive. Whoever keeps blobs for long copies them into memory it
 * owns ({@link ownedBytes}, or the memory backing's arenas), so memory held stays close to the
 * bytes kept.
 */

/**
 * The size of one slab. A fresh array costs a few microseconds whatever its size up to about this
 * (then allocators map fresh pages for each): a larger slab spreads that cost over more blobs.
 */
export const SLAB_SIZE = 64 * 1024;
/** The largest blob built in a slab; larger ones get an array of their own. */
export const SLABBED_MAX = 4 * 1024;

let slab = new ArrayBuffer(SLAB_SIZE);
let used = 0;

/**
 * A fresh array of `size` bytes for a blob whose every byte the caller writes (its initial
 * content is unspecified). Up to {@link SLABBED_MAX} bytes it is a view into a shared slab.
 */
export function allocateBlob(size: number): Uint8Array {
  if (size > SLABBED_MAX) return new Uint8Array(size);
  if (used + size > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    used = 0;
  }
  // a view made directly on the buffer: `subarray` first looks up the species constructor
  const out = new Uint8Array(slab, used, size);
  // the next blob starts on an 8-byte boundary, where copies of it run fastest
  used = (used + size + 7) & ~7;
  return out;
}

/**
 * `bytes` itself when it is the whole of its buffer, else a copy that is: for code that keeps
 * bytes for long (a cache, a store in memory) and must not keep a shared buffer alive with them.
 * @param bytes - any array; a view into a larger buffer (a blob from core, a Buffer from a pool) is copied
 * @returns an array that owns its whole buffer
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
