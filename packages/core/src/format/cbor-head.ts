/**
 * CBOR heads (RFC 8949, section 3): a major type and a count (an integer's value, a string's byte
 * length, an array's or map's item count) in the fewest bytes, as cbor-x writes them. Shared by
 * the writers that must match cbor-x byte for byte: the Meta written in place (meta.ts) and the
 * serializer's writer for plain data (serializers/internal/plain-cbor.ts).
 */

/** Major types, already shifted into the high three bits. */
export const MAJOR_UINT = 0x00;
export const MAJOR_NEGATIVE = 0x20;
export const MAJOR_TEXT = 0x60;
export const MAJOR_ARRAY = 0x80;

/** How many bytes the head of `count` takes: 1, 2, 3 or 5 (counts below 2^32). */
export function headSize(count: number): number {
  return count < 0x18 ? 1 : count < 0x100 ? 2 : count < 0x10000 ? 3 : 5;
}

/**
 * Writes the head of major type `major` with `count` (0 to 2^32 - 1) at `out[at..]`, in
 * {@link headSize} bytes, big-endian as CBOR wants.
 * @returns the position after it
 */
export function writeHead(out: Uint8Array, at: number, major: number, count: number): number {
  if (count < 0x18) {
    out[at] = major | count;
    return at + 1;
  }
  if (count < 0x100) {
    out[at] = major | 0x18;
    out[at + 1] = count;
    return at + 2;
  }
  if (count < 0x10000) {
    out[at] = major | 0x19;
    out[at + 1] = count >> 8;
    out[at + 2] = count & 0xff;
    return at + 3;
  }
  out[at] = major | 0x1a;
  putU32BE(out, at + 1, count);
  return at + 5;
}

/** Writes `v` (0 to 2^32 - 1) as four big-endian bytes at `out[at..]`. */
export function putU32BE(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}
