/** Value equality and key identity as the Store defines them, for comparing results to a model. */
import type { Key } from '@konserve-rx/core';

/** Matches any value in an expected result (e.g. the random `gen` of an append log). */
export const ANY: unique symbol = Symbol('any');

/**
 * Deep equality of stored values: bytes by content (a Buffer equals a Uint8Array), plain objects
 * by own enumerable fields, arrays, Maps and Sets element-wise, Dates by time, other primitives
 * with `Object.is`, except that `-0` equals `0` (CBOR, the default serializer, stores `-0` as the
 * integer 0, as JSON does; docs/reliability.md lists it). {@link ANY} in `expected` matches anything.
 */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === ANY) return true;
  if (Object.is(expected, actual)) return true;
  if (typeof expected === 'number' && typeof actual === 'number') return expected === actual;
  if (expected instanceof Uint8Array) return actual instanceof Uint8Array && Buffer.from(expected).equals(Buffer.from(actual));
  if (expected instanceof Date) return actual instanceof Date && Object.is(expected.getTime(), actual.getTime());
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => sameValue(e, actual[i]));
  }
  if (expected instanceof Map) {
    if (!(actual instanceof Map) || expected.size !== actual.size) return false;
    for (const [k, v] of expected) if (!actual.has(k) || !sameValue(v, actual.get(k))) return false;
    return true;
  }
  if (expected instanceof Set) return actual instanceof Set && sameValue([...expected], [...actual]);
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof Uint8Array) return false;
    const e = Object.keys(expected);
    const a = Object.keys(actual);
    return (
      e.length === a.length &&
      e.every(
        (k) => Object.prototype.hasOwnProperty.call(actual, k) && sameValue((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}

/** A key's identity: equal keys (by value, object fields in any order, `-0` as `0`) give equal strings. */
export function keyText(key: Key): string {
  if (typeof key === 'number') return Object.is(key, -0) ? '0' : String(key);
  if (typeof key === 'string') return JSON.stringify(key);
  if (Array.isArray(key)) return `[${key.map((k: Key) => keyText(k)).join(',')}]`;
  const fields = Object.keys(key).sort();
  return `{${fields.map((f) => `${JSON.stringify(f)}:${keyText((key as Record<string, Key>)[f]!)}`).join(',')}}`;
}

/** Prints a value for a failure message: bytes as hex, undefined visibly, bounded length. */
export function show(value: unknown): string {
  let s: string;
  try {
    s =
      JSON.stringify(value, (_k, v: unknown) =>
        v instanceof Uint8Array
          ? `<bytes ${Buffer.from(v).toString('hex').slice(0, 32)}${v.length > 16 ? '...' : ''} (${v.length})>`
          : v === undefined
            ? '<undefined>'
            : v === ANY
              ? '<any>'
              : v instanceof Map
                ? { '<Map>': [...v.entries()] }
                : typeof v === 'bigint'
                  ? `${v}n`
                  : v,
      ) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
