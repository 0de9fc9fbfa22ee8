/**
 * What every benchmark stores: fixed documents under keys `doc-<n>` (the 30-string one everywhere,
 * and in the memory and durable sections also a nested one), and the CBOR encoder the "limit"
 * contenders pay for (the same settings as konserve-rx's default serializer).
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

/**
 * The nested document (about 600 bytes as CBOR): numbers (integers and fractions), booleans,
 * arrays, and objects nested three deep, the shape of a typical application record.
 */
export const NESTED_DOC: Readonly<Record<string, unknown>> = Object.freeze({
  id: 48213,
  name: 'Ada Lovelace',
  active: true,
  verified: false,
  score: 97.25,
  ratio: -0.003125,
  tags: ['analysis', 'engine', 'notes', 'poetry'],
  address: { street: '12 St James Square', city: 'London', zip: 'SW1Y 4JH', geo: { lat: 51.5074, lon: -0.1342 } },
  counts: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
  orders: [
    {
      id: 1,
      total: 19.99,
      paid: true,
      items: [
        { sku: 'A-100', qty: 2 },
        { sku: 'B-200', qty: 1 },
      ],
    },
    { id: 2, total: 5.5, paid: false, items: [{ sku: 'C-300', qty: 4 }] },
  ],
  settings: { theme: 'dark', notifications: { email: true, sms: false, push: true }, limits: { daily: 1000, monthly: 25000 } },
  history: [
    { at: 1700000000, event: 'login', ok: true },
    { at: 1700003600, event: 'purchase', ok: true },
    { at: 1700007200, event: 'logout', ok: true },
  ],
  note: 'first program for a machine, published 1843',
});

/** The documents of the memory and durable sections, by name: `flat` is {@link DOC}, `nested` is {@link NESTED_DOC}. */
export const DOCUMENTS = { flat: DOC, nested: NESTED_DOC } as const;
/** The name of a benchmark document. */
export type DocName = keyof typeof DOCUMENTS;
/** Every document name, in report order. */
export const DOC_NAMES: readonly DocName[] = ['flat', 'nested'];

/** The size of a document as CBOR, in bytes. */
export function documentBytes(doc: DocName): number {
  return cbor.encode(DOCUMENTS[doc]).length;
}

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
