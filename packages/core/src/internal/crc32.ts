/**
 * CRC-32 (IEEE, the same values as zlib's `crc32`), computed in JS for short inputs: a native
 * call costs more in fixed overhead than the whole table loop over a header and its meta.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

const TABLE = ((): Int32Array => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Below this many bytes the JS loop is faster than a call into zlib. */
const NATIVE_FROM = 192;

/** The CRC-32 of `bytes`, continuing from `previous` (0 to start). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (bytes.length >= NATIVE_FROM) return zlibCrc32(bytes, previous);
  let c = ~previous;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
