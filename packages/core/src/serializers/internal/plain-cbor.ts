/**
 * A CBOR writer for plain data (objects made by `{}`, arrays, strings, numbers, booleans, null and
 * undefined) that writes, byte for byte, what cbor-x's `Encoder({ useRecords: false,
 * mapsAsObjects: true })` writes for the same value: so stored blobs, and every reader of them,
 * cannot tell which of the two wrote a value (test/plain-cbor.test.ts compares both on many values).
 *
 * Why it exists: cbor-x's recursive `encode` allocates a function context (40 bytes) for every
 * value it visits, because a rarely taken branch of it holds a closure over its argument. A nested
 * 590-byte document is about 125 values: 5 KB of garbage per write, and a scavenge every few
 * thousand writes. This writer allocates only the view it returns.
 *
 * Anything else (a Date, Map, Set, typed array, bigint, class instance, a null-prototype object, a
 * map of 65,536 entries or more, nesting deeper than {@link MAX_DEPTH}) makes {@link writePlain}
 * answer `undefined`, and the caller encodes the whole value with cbor-x instead (which walks it
 * again: a getter on such a value runs twice).
 */
import { scratchBytes, utf8WriteAt } from '#platform';
import { headSize, MAJOR_ARRAY, MAJOR_NEGATIVE, MAJOR_TEXT, MAJOR_UINT, writeHead } from '../../format/cbor-head';

/** Deeper values go to cbor-x (which fails on cycles as it always did). */
const MAX_DEPTH = 256;

// the reused output: what writePlain returns is a view of it, valid until its next call
let out: Uint8Array = scratchBytes(8192);
let view = new DataView(out.buffer, out.byteOffset, out.byteLength);
let pos = 0;
let busy = false;

/**
 * The CBOR bytes of `value`, or `undefined` when it holds anything but plain data. The bytes are
 * a view of a buffer the next call overwrites: copy them before anything else encodes.
 */
export function writePlain(value: unknown): Uint8Array | undefined {
  // a getter that encodes another value while this one is being written must not reuse `out`
  if (busy) return undefined;
  busy = true;
  try {
    pos = 0;
    // a plain Uint8Array view (not the Buffer `out` is in Node), so `slice()` of it copies
    return write(value, 0) ? new Uint8Array(out.buffer, out.byteOffset, pos) : undefined;
  } finally {
    busy = false;
  }
}

/** Makes room for `n` more bytes. */
function room(n: number): void {
  if (pos + n <= out.length) return;
  const bigger = scratchBytes(Math.max(out.length * 2, pos + n));
  bigger.set(out.subarray(0, pos));
  out = bigger;
  view = new DataView(out.buffer, out.byteOffset, out.byteLength);
}

function write(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      writeString(value);
      return true;
    case 'number':
      writeNumber(value);
      return true;
    case 'boolean':
      room(1);
      out[pos++] = value ? 0xf5 : 0xf4;
      return true;
    case 'undefined':
      room(1);
      out[pos++] = 0xf7;
      return true;
    case 'object':
      if (value === null) {
        room(1);
        out[pos++] = 0xf6;
        return true;
      }
      if (depth >= MAX_DEPTH) return false;
      // the test cbor-x makes, in its order: `constructor` first (an own `constructor` counts)
      switch ((value as { constructor?: unknown }).constructor) {
        case Object:
          return writeObject(value as Record<string, unknown>, depth + 1);
        case Array:
          return writeArray(value as unknown[], depth + 1);
        default:
          return false;
      }
    default:
      return false;
  }
}

// a map of 16-bit length (0xb9) always, as cbor-x does when it cannot know the count in advance,
// with its keys as `for...in` finds them (own ones: cbor-x's hasOwnProperty test, verbatim)
function writeObject(object: Record<string, unknown>, depth: number): boolean {
  room(3);
  out[pos] = 0xb9;
  const at = pos + 1;
  pos += 3;
  let size = 0;
  for (const key in object) {
    // the object's own hasOwnProperty, called as cbor-x calls it: an override must pick the same keys
    // eslint-disable-next-line no-prototype-builtins
    if (typeof object.hasOwnProperty !== 'function' || object.hasOwnProperty(key)) {
      writeString(key);
      if (!write(object[key], depth)) return false;
      size++;
    }
  }
  if (size >= 0x10000) return false;
  out[at] = size >> 8;
  out[at + 1] = size & 0xff;
  return true;
}

function writeArray(array: unknown[], depth: number): boolean {
  const length = array.length;
  room(5);
  pos = writeHead(out, pos, MAJOR_ARRAY, length);
  for (let i = 0; i < length; i++) if (!write(array[i], depth)) return false;
  return true;
}

function writeNumber(value: number): void {
  room(9);
  if (value >>> 0 === value) {
    // an unsigned integer of 32 bits or less (-0 too, written as 0, as cbor-x does)
    // the small ones (most numbers in practice) inline: a call for each cost the nested
    // document's encoding about 2%
    if (value < 0x18) out[pos++] = value;
    else pos = writeHead(out, pos, MAJOR_UINT, value);
  } else if (value >> 0 === value || (value < 0 && value >= -0x100000000 && Math.floor(value) === value)) {
    // a negative integer of 32 bits or less: CBOR stores -1 - value
    pos = writeHead(out, pos, MAJOR_NEGATIVE, -1 - value);
  } else {
    // every other number, larger integers included, as a 64-bit float
    out[pos++] = 0xfb;
    view.setFloat64(pos, value);
    pos += 8;
  }
}

// Short strings are written by hand, as cbor-x does below 64 UTF-16 units: a lone surrogate
// becomes its own 3-byte sequence there (cbor-lossless.ts then refuses the value), while longer
// strings go through the platform's UTF-8 writer, which writes U+FFFD for it, as cbor-x's does.
function writeString(value: string): void {
  const units = value.length;
  const estimate = headSize(units);
  // room for the longest head, not the estimated one: the bytes move right when the head grows
  room(5 + units * 3);
  const start = pos + estimate;
  let end = start;
  if (units < 0x40) {
    for (let i = 0; i < units; i++) {
      let c1 = value.charCodeAt(i);
      if (c1 < 0x80) out[end++] = c1;
      else if (c1 < 0x800) {
        out[end++] = (c1 >> 6) | 0xc0;
        out[end++] = (c1 & 0x3f) | 0x80;
      } else {
        const c2 = value.charCodeAt(i + 1);
        if ((c1 & 0xfc00) === 0xd800 && (c2 & 0xfc00) === 0xdc00) {
          c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff);
          i++;
          out[end++] = (c1 >> 18) | 0xf0;
          out[end++] = ((c1 >> 12) & 0x3f) | 0x80;
          out[end++] = ((c1 >> 6) & 0x3f) | 0x80;
          out[end++] = (c1 & 0x3f) | 0x80;
        } else {
          out[end++] = (c1 >> 12) | 0xe0;
          out[end++] = ((c1 >> 6) & 0x3f) | 0x80;
          out[end++] = (c1 & 0x3f) | 0x80;
        }
      }
    }
  } else {
    end = start + utf8WriteAt(value, out, start);
  }
  const length = end - start;
  // the head was sized by UTF-16 units; the UTF-8 length may need a longer one
  const need = headSize(length);
  if (need !== estimate) out.copyWithin(pos + need, start, end);
  pos = writeHead(out, pos, MAJOR_TEXT, length) + length;
}
