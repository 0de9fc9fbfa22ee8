/**
 * Keys: validation, the canonical encoding that compares keys by value, and the blob id derived
 * from it. A key never becomes a path: every user key maps to 64 lowercase hex characters.
 */
import { hash } from 'node:crypto';
import { invalidKey } from '../errors';
import type { Key } from '../store';

/** Longest canonical key accepted, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 16 * 1024;

const ID_CACHE_LIMIT = 16384;
// structured keys by canonical form; string keys, the common case, by the string itself, whole
// KeyRefs, so a repeated string key costs one Map lookup (no JSON.stringify, no allocation)
const idCache = new Map<string, string>();
const stringRefs = new Map<string, KeyRef>();

/** A validated key with its canonical form and blob id. */
export interface KeyRef {
  readonly key: Key;
  readonly canonical: string;
  readonly id: string;
}

/** Validates `key` and derives its canonical form and blob id; throws `ERR_INVALID_KEY`. */
export function keyRef(key: unknown): KeyRef {
  if (typeof key === 'string') {
    let ref = stringRefs.get(key);
    if (ref === undefined) {
      const canonical = canonicalKey(key);
      ref = { key, canonical, id: blobId(canonical) };
      remember(stringRefs, key, ref);
    }
    return ref;
  }
  const canonical = canonicalKey(key);
  let id = idCache.get(canonical);
  if (id === undefined) {
    id = blobId(canonical);
    remember(idCache, canonical, id);
  }
  return { key: key as Key, canonical, id };
}

function blobId(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}

// bounded, evicting the oldest entry, so a cache never grows with the keys ever touched and a
// working set a little over the limit does not turn every lookup into a miss
function remember<V>(cache: Map<string, V>, k: string, v: V): void {
  if (cache.size >= ID_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(k, v);
}

/** The canonical encoding of a key: equal keys (by value) give equal strings; throws `ERR_INVALID_KEY`. */
export function canonicalKey(key: unknown): string {
  const s = typeof key === 'string' ? JSON.stringify(key) : encode(key, key, 0);
  if (s.length > MAX_KEY_LENGTH) throw invalidKey(key, `its canonical form is longer than ${MAX_KEY_LENGTH} characters`);
  return s;
}

/** True for a blob id of a user key (internal blobs, like append-log elements, carry a suffix). */
export function isUserBlobId(id: string): boolean {
  return id.length === 64 && !id.includes('.');
}

function encode(part: unknown, key: unknown, depth: number): string {
  if (depth > 32) throw invalidKey(key, 'it is nested more than 32 levels deep');
  switch (typeof part) {
    case 'string':
      return JSON.stringify(part);
    case 'number':
      if (!Number.isFinite(part)) throw invalidKey(key, `${part} is not a finite number`);
      return Object.is(part, -0) ? '0' : String(part);
    case 'object':
      if (part === null) throw invalidKey(key, 'null is not a key');
      if (Array.isArray(part)) return `[${part.map((p) => encode(p, key, depth + 1)).join(',')}]`;
      if (!isPlainObject(part)) throw invalidKey(key, 'only plain objects and arrays can be structured keys');
      return `{${Object.keys(part)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${encode((part as Record<string, unknown>)[k], key, depth + 1)}`)
        .join(',')}}`;
    default:
      throw invalidKey(key, `a ${typeof part} is not a key`);
  }
}

/** True for objects created by `{}` / `Object.create(null)`, not class instances. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
