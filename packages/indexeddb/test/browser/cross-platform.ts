/**
 * The store both platforms write and read: the same keys and values (CBOR's richer types, a
 * composite key, a binary, an append log), and a text form of what reads back, to compare across
 * Node and a browser page. Blobs travel as `{ blobId: base64 }`.
 */
import { aesGcmEncryptor, createStore, gzipCompressor, type Store, type StoreOptions } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { lastValueFrom, toArray } from 'rxjs';

/** The AES-256 key of the encrypted fixture (bytes 0..31): a test key, public by design. */
const FIXTURE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

/**
 * The codecs of the encrypted fixture store: gzip, then AES-256-GCM. Synchronous in Node,
 * promise-based in a page (CompressionStream, Web Crypto); the bytes are the same.
 * @returns fresh Store options
 */
export function encryptedCodecs(): StoreOptions {
  return { compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key: FIXTURE_KEY }) };
}

/** A value written under each key. */
const VALUES: [key: string | (string | number)[], value: unknown][] = [
  ['note', { text: 'héllo ✓ 𝄞', at: new Date(Date.UTC(2026, 11, 2)), tags: new Set(['a', 'b']), counts: new Map([['x', 1]]) }],
  [
    ['composite', 1],
    [1, null, false, '', -0.5, 2 ** 40],
  ],
  ['bytes', new Uint8Array([0, 1, 254, 255])],
];

/**
 * Writes the entries, a binary and an append log.
 * @param store - an empty store
 */
export async function writeEntries(store: Store): Promise<void> {
  for (const [key, value] of VALUES) await lastValueFrom(store.assoc(key, value));
  await lastValueFrom(store.bassoc('blob', new Uint8Array([9, 8, 7])));
  for (const n of [1, 2, 3]) await lastValueFrom(store.append('log', n));
}

/**
 * Reads every entry back, as text that compares equal when the values are equal.
 * @param store - a store holding the entries
 * @returns one text per entry, by name
 */
export async function readEntries(store: Store): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of VALUES) {
    out[JSON.stringify(key)] = textOf(await lastValueFrom(store.get(key)));
    out[`expected ${JSON.stringify(key)}`] = textOf(value);
  }
  out['blob'] = textOf(await lastValueFrom(store.bget('blob', (b) => b.bytes())));
  out['log'] = textOf(await lastValueFrom(store.log('log').pipe(toArray())));
  return out;
}

/**
 * A memory store over blobs given as base64, and a way to dump its blobs back.
 * @param blobs - blob id to base64 bytes (empty for a new store)
 * @param options - the store's codecs
 * @returns the store and a function listing its blobs as base64
 */
export function storeOfBlobs(blobs: Record<string, string>, options: StoreOptions = {}): { store: Store; dump: () => Record<string, string> } {
  const map = new Map(Object.entries(blobs).map(([id, b64]) => [id, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
  const dump = () => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, bytes]) => [id, btoa(String.fromCharCode(...bytes))]));
  return { store: createStore(memoryBacking({ map }), options), dump };
}

/** A text form of a value that tells Date, Map, Set and byte arrays apart. */
function textOf(value: unknown): string {
  return (
    JSON.stringify(value, function (this: unknown, _k, v: unknown) {
      const raw = (this as Record<string, unknown>)[_k];
      if (raw instanceof Date) return { Date: raw.toISOString() };
      if (v instanceof Map) return { Map: [...v] };
      if (v instanceof Set) return { Set: [...v] };
      if (v instanceof Uint8Array) return { bytes: [...v] };
      return v;
    }) ?? 'undefined'
  );
}
