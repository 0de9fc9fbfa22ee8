/**
 * What every benchmark stores: one fixed document of 30 string fields (about 1 KB as CBOR), under
 * keys `doc-<n>`, and the CBOR encoder the "limit" contenders pay for (the same settings as
 * konserve-rx's default serializer).
 */
import { Encoder } from 'cbor-x';

/** The 1 KB document: 30 fields `field00`..`field29`, each a 24-character string. */
export const DOC: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => {
      const n = String(i).padStart(2, '0');
      return [`field${n}`, `value ${n} ${'abcdefghijklmnopq'}`.padEnd(24, '.')];
    }),
  ),
);

/** The key of document `n`. */
export function keyOf(n: number): string {
  return `doc-${n}`;
}

/** A cbor-x encoder configured like konserve-rx's default serializer (records off, plain objects). */
export const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

/** The document encoded once, for contenders that store bytes and for size reports. */
export const DOC_BYTES: Uint8Array = cbor.encode(DOC);

/**
 * The key a benchmark operation touches: a fixed permutation of `0..keys-1`, so consecutive
 * operations (and the operations in flight together) touch distinct keys spread over the whole
 * key space, never in insertion order.
 */
export function slot(i: number, keys: number): number {
  // a step coprime with `keys` visits every key once per `keys` operations
  return (i * STEP) % keys;
}

/** A prime, so coprime with every key count made of 2s and 5s (1k, 10k, 100k). */
const STEP = 7919;
