/**
 * CRC-32 (IEEE, the same values as zlib's `crc32`), computed in JS for short inputs: a native
 * call costs more in fixed overhead than the whole table loop over a header and its meta.
 */
import { nativeCrc32 } from '#platform';

// slicing-by-8: TABLES[k * 256 + b] is the CRC of byte b followed by k zero bytes, so one loop
// step folds 8 input bytes with 8 independent lookups instead of 8 dependent ones (about 3x
// faster than the byte-wise loop on header-sized inputs)
const TABLES = ((): Int32Array => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k * 256 + n] = t[t[(k - 1) * 256 + n]! & 0xff]! ^ (t[(k - 1) * 256 + n]! >>> 8);
  }
  return t;
})();

/** Below this many bytes the JS loop is faster than a call into zlib. */
const NATIVE_FROM = 256;

/** The CRC-32 of `bytes`, continuing from `previous` (0 to start). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (nativeCrc32 !== undefined && bytes.length >= NATIVE_FROM) return nativeCrc32(bytes, previous);
  return crc32Range(bytes, 0, bytes.length, previous);
}

/**
 * The CRC-32 of `bytes[start..end)`, continuing from `previous`: like {@link crc32} of that
 * span, without making a view of it unless the span is long enough to go to zlib.
 */
export function crc32Span(bytes: Uint8Array, start: number, end: number, previous = 0): number {
  if (nativeCrc32 !== undefined && end - start >= NATIVE_FROM) return nativeCrc32(bytes.subarray(start, end), previous);
  return crc32Range(bytes, start, end, previous);
}

/**
 * The CRC-32 of `bytes[start..end)`, continuing from `previous`, always in JS: for the short
 * header ranges of a blob, where a `subarray` to hand to {@link crc32} would cost more than the sum.
 */
export function crc32Range(bytes: Uint8Array, start: number, end: number, previous = 0): number {
  const t = TABLES;
  let c = ~previous;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
