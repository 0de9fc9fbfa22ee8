/**
 * What cbor-x would silently change, refused instead: an own field named `__proto__` (cbor-x
 * renames it `__proto_` when decoding, to keep prototypes safe) and a string holding a lone
 * surrogate (UTF-8 cannot carry it; it reads back as U+FFFD). Both leave a mark in the encoded
 * bytes, so the common write pays one native byte search and only a marked one walks its value.
 */
import { includesBytes } from '#platform';

// a CBOR text string of 9 bytes (0x69) spelling __proto__: how cbor-x writes that field name
const PROTO_FIELD = new Uint8Array([0x69, ...Array.from('__proto__', (c) => c.charCodeAt(0))]);
// U+FFFD, which cbor-x writes for a lone surrogate in a long string
const REPLACEMENT = new Uint8Array([0xef, 0xbf, 0xbd]);
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

function marked(buf: Uint8Array): boolean {
  if (includesBytes(buf, PROTO_FIELD) || includesBytes(buf, REPLACEMENT)) return true;
  for (let i = buf.indexOf(SURROGATE_LEAD); i !== -1; i = buf.indexOf(SURROGATE_LEAD, i + 1)) {
    const next = buf[i + 1];
    if (next !== undefined && next >= 0xa0 && next <= 0xbf) return true;
  }
  return false;
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
