/**
 * Meta is always CBOR, whatever the store's value serializer, so `keys()` and `getMeta` read
 * any blob without its codecs (meta is never compressed or encrypted).
 */
import { Encoder } from 'cbor-x';
import { corrupt, notSerializable } from '../errors';
import type { BlobType, Key, Meta, UserMeta } from '../store';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, copyBuffers: true });

/** Builds a Meta where the built fields win over the user's. */
export function buildMeta(key: Key, type: BlobType, lastWrite: Date, user?: UserMeta): Meta {
  return user === undefined ? { key, type, lastWrite } : { ...user, key, type, lastWrite };
}

/** The user fields of a Meta (everything but key, type and lastWrite). */
export function userMetaOf(meta: Meta | undefined): UserMeta | undefined {
  if (meta === undefined) return undefined;
  const { key: _k, type: _t, lastWrite: _l, ...user } = meta;
  return Object.keys(user).length === 0 ? undefined : user;
}

/** Encodes a Meta; errors with `ERR_NOT_SERIALIZABLE` for unencodable user fields. */
export function encodeMeta(meta: Meta): Uint8Array {
  const fast = encodeBuiltMeta(meta);
  if (fast !== undefined) return fast;
  try {
    return encoder.encode(meta);
  } catch (e) {
    throw notSerializable(meta.key, e);
  }
}

// The common Meta, `{ key, type, lastWrite }` with no user fields, is written by hand in exactly
// the bytes cbor-x writes for it (a test holds the two equal): it is encoded on every write.
const FIELD_KEY = new Uint8Array(encoder.encode('key'));
const FIELD_TYPE = new Uint8Array(encoder.encode('type'));
const FIELD_LAST_WRITE = new Uint8Array(encoder.encode('lastWrite'));
const TYPE_BYTES: Record<string, Uint8Array> = {
  value: new Uint8Array(encoder.encode('value')),
  binary: new Uint8Array(encoder.encode('binary')),
  'append-log': new Uint8Array(encoder.encode('append-log')),
};
// per string key: the Meta's bytes up to the type's value (map head, "key", the key, "type")
const prefixCache = new Map<string, Uint8Array>();
const scratch = new DataView(new ArrayBuffer(8));

function encodeBuiltMeta(meta: Meta): Uint8Array | undefined {
  const typeBytes = TYPE_BYTES[meta.type];
  let fields = 0;
  for (const _ in meta) fields++;
  if (fields !== 3 || typeBytes === undefined || !(meta.lastWrite instanceof Date)) return undefined;
  const prefix = metaPrefix(meta.key);
  const ms = meta.lastWrite.getTime();
  const short = ms % 1000 === 0 && ms >= 0 && ms / 1000 < 0x100000000;
  const out = new Uint8Array(prefix.length + typeBytes.length + FIELD_LAST_WRITE.length + (short ? 6 : 10));
  out.set(prefix, 0);
  out.set(typeBytes, prefix.length);
  let at = prefix.length + typeBytes.length;
  out.set(FIELD_LAST_WRITE, at);
  at += FIELD_LAST_WRITE.length;
  out[at++] = 0xc1; // tag 1: epoch seconds, as cbor-x writes a Date
  if (short) {
    out[at++] = 0x1a;
    scratch.setUint32(0, ms / 1000);
    out.set(new Uint8Array(scratch.buffer, 0, 4), at);
  } else {
    out[at++] = 0xfb;
    scratch.setFloat64(0, ms / 1000);
    out.set(new Uint8Array(scratch.buffer, 0, 8), at);
  }
  return out;
}

function metaPrefix(key: unknown): Uint8Array {
  const cacheable = typeof key === 'string';
  let prefix = cacheable ? prefixCache.get(key) : undefined;
  if (prefix === undefined) {
    const keyBytes = encoder.encode(key);
    // a map of 3 pairs, with the 16-bit length form cbor-x reserves for objects
    prefix = new Uint8Array(3 + FIELD_KEY.length + keyBytes.length + FIELD_TYPE.length);
    prefix.set([0xb9, 0x00, 0x03], 0);
    prefix.set(FIELD_KEY, 3);
    prefix.set(keyBytes, 3 + FIELD_KEY.length);
    prefix.set(FIELD_TYPE, 3 + FIELD_KEY.length + keyBytes.length);
    if (cacheable) {
      // bounded, evicting the oldest: it must never grow with the keys ever written
      if (prefixCache.size >= 4096) prefixCache.delete(prefixCache.keys().next().value!);
      prefixCache.set(key, prefix);
    }
  }
  return prefix;
}

/** Decodes Meta bytes (already checksummed); errors with `ERR_CORRUPT` when they are not a Meta. */
export function decodeMeta(bytes: Uint8Array, key: unknown): Meta {
  let meta: unknown;
  try {
    meta = encoder.decode(bytes);
  } catch (e) {
    throw corrupt(key, `meta does not decode: ${(e as Error).message}`);
  }
  const m = meta as Partial<Meta> | null;
  if (m === null || typeof m !== 'object' || typeof m.type !== 'string' || !(m.lastWrite instanceof Date)) {
    throw corrupt(key, 'meta is not a Meta record');
  }
  return m as Meta;
}
