/**
 * Keys: validation, the canonical encoding that compares keys by value, and the blob id derived
 * from it. A key never becomes a path: every user key maps to 64 lowercase hex characters.
 */
import { sha256Hex } from '#platform';
import { invalidKey } from '../errors';
import type { Key } from '../model';

/** Longest canonical key accepted, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 16 * 1024;

/**
 * Keys per cache generation: a working set of up to this many keys is served by the young Map alone
 * (one lookup), and a cache holds at most twice this many (about 4-8 MB of KeyRefs).
 */
export const ID_CACHE_GENERATION = 16384;

/**
 * A bounded cache in two generations: lookups hit the young Map, or the old one (then the entry
 * moves to the young one); when the young Map is full it becomes the old one and the old one is
 * dropped. So it holds at most two generations, keeps what is in use, and every step is O(1)
 * (unlike evicting one entry at a time from a single Map, whose deleted entries V8 keeps as holes
 * that every later eviction walks over).
 */
export class GenerationalCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  constructor(private readonly generation: number) {}

  get(k: string): V | undefined {
    const v = this.young.get(k);
    if (v !== undefined) return v;
    const aged = this.old.get(k);
    if (aged !== undefined) this.set(k, aged);
    return aged;
  }

  set(k: string, v: V): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(k, v);
  }
}

// structured keys by canonical form; string keys, the common case, by the string itself, whole
// KeyRefs, so a repeated string key costs one Map lookup (no JSON.stringify, no allocation)
const idCache = new GenerationalCache<string>(ID_CACHE_GENERATION);
const stringRefs = new GenerationalCache<KeyRef>(ID_CACHE_GENERATION);

/** A validated key with its canonical form and blob id. */
export interface KeyRef {
  readonly key: Key;
  readonly canonical: string;
  readonly id: string;
  /** `[id]`, made once: the ids a one-key plan locks (KeyRefs of string keys are cached, so a repeated key allocates no array). */
  readonly ids: readonly [string];
}

/** The KeyRef of a validated key. */
export function makeRef(key: Key, canonical: string, id: string): KeyRef {
  return { key, canonical, id, ids: [id] };
}

/** Validates `key` and derives its canonical form and blob id; throws `ERR_INVALID_KEY`. */
export function keyRef(key: unknown): KeyRef {
  if (typeof key === 'string') {
    let ref = stringRefs.get(key);
    if (ref === undefined) {
      const canonical = canonicalKey(key);
      ref = makeRef(key, canonical, blobId(canonical));
      stringRefs.set(key, ref);
    }
    return ref;
  }
  const canonical = canonicalKey(key);
  let id = idCache.get(canonical);
  if (id === undefined) {
    id = blobId(canonical);
    idCache.set(canonical, id);
  }
  return makeRef(key as Key, canonical, id);
}

function blobId(canonical: string): string {
  return sha256Hex(canonical);
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

/** Hex characters of a scope's blob id prefix: the first 128 bits of the SHA-256 of its path. */
const SCOPE_HASH_LENGTH = 32;
const SCOPED_ID = /^[0-9a-f]{32}-/;

/**
 * The blob id prefix of the scope at `path` (the names from the root scope down): `''` for the
 * root, else `<32 hex>-`, the start of the SHA-256 of the path's canonical form and a `-` (never
 * a `.`, so {@link lockIdOf} and append-log element ids work as in the root). Every scope, nested
 * or not, has one prefix of the same length: a scope's ids never start with another scope's prefix.
 * @param path - the scope names, outermost first
 * @returns the prefix of every blob id of that scope
 */
export function scopePrefix(path: readonly string[]): string {
  return path.length === 0 ? '' : `${sha256Hex(canonicalKey(path)).slice(0, SCOPE_HASH_LENGTH)}-`;
}

/** True for the blob id of a user key of the scope with blob id prefix `prefix`. */
export function isScopeBlobId(prefix: string, id: string): boolean {
  return prefix === '' ? isUserBlobId(id) : id.length === prefix.length + 64 && id.startsWith(prefix) && !id.includes('.', prefix.length);
}

/** A blob id without its scope prefix (the hash of the key alone); a root id as it is. */
export function unscopedBlobId(id: string): string {
  return SCOPED_ID.test(id) ? id.slice(SCOPE_HASH_LENGTH + 1) : id;
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
