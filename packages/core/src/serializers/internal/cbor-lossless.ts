/**
 * What cbor-x would silently change, refused instead: an own field named `__proto__` (cbor-x
 * renames it `__proto_` when decoding, to keep prototypes safe) and a string holding a lone
 * surrogate (UTF-8 cannot carry it; it reads back as U+FFFD). Both leave a mark in the encoded
 * bytes, so the common write pays three native byte searches and only a marked one walks its value.
 */
import { indexOfByte } from '#platform';

// a CBOR text string of 9 bytes (0x69) spelling __proto__: how cbor-x writes that field name
const PROTO_FIELD = new Uint8Array([0x69, ...Array.from('__proto__', (c) => c.charCodeAt(0))]);
// the second byte of PROTO_FIELD, by which it is searched
const UNDERSCORE = 0x5f;
// U+FFFD, which cbor-x writes for a lone surrogate in a long string
const REPLACEMENT = new Uint8Array([0xef, 0xbf, 0xbd]);
const REPLACEMENT_LEAD = 0xef;
// a surrogate encoded as UTF-8 (0xED 0xA0..0xBF ...), which cbor-x writes for a short string
const SURROGATE_LEAD = 0xed;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Throws when `value` holds what would not read back from `bytes` (its CBOR encoding).
 * @param value - the value cbor-x encoded
 * @param bytes - its encoding
 */
export function checkLossless(value: unknown, bytes: Uint8Array): void {
  if (!marked(bytes)) return;
  const why = lossIn(value);
  if (why !== undefined) throw new TypeError(`${why} (it would not read back as written)`);
}

// Each mark is found by a byte that is rare in ordinary data (an underscore, a UTF-8 lead byte
// past U+CFFF), not by its first byte: 0x69 is also the letter "i", which most text holds.
function marked(buf: Uint8Array): boolean {
  for (let i = indexOfByte(buf, UNDERSCORE); i !== -1; i = indexOfByte(buf, UNDERSCORE, i + 1)) {
    if (startsAt(buf, i - 1, PROTO_FIELD)) return true;
  }
  for (let i = indexOfByte(buf, REPLACEMENT_LEAD); i !== -1; i = indexOfByte(buf, REPLACEMENT_LEAD, i + 1)) {
    if (startsAt(buf, i, REPLACEMENT)) return true;
  }
  for (let i = indexOfByte(buf, SURROGATE_LEAD); i !== -1; i = indexOfByte(buf, SURROGATE_LEAD, i + 1)) {
    const next = buf[i + 1];
    if (next !== undefined && next >= 0xa0 && next <= 0xbf) return true;
  }
  return false;
}

function startsAt(buf: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at < 0 || at + needle.length > buf.length) return false;
  for (let j = 0; j < needle.length; j++) if (buf[at + j] !== needle[j]) return false;
  return true;
}

/** Why `root` cannot round-trip through CBOR, or `undefined`; iterative, so depth cannot overflow the stack. */
function lossIn(root: unknown): string | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return 'a string holds a lone surrogate, which UTF-8 cannot carry';
      continue;
    }
    if (typeof v !== 'object' || v === null || seen.has(v) || ArrayBuffer.isView(v)) continue;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set || Array.isArray(v)) for (const x of v) stack.push(x);
    else {
      for (const k of Object.keys(v)) {
        if (k === '__proto__') return 'an own field named "__proto__" cannot be stored with CBOR (the JSON serializer keeps it)';
        stack.push(k, (v as Record<string, unknown>)[k]);
      }
    }
  }
  return undefined;
}
