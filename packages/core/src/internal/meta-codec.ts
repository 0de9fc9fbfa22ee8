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
const keyBytesCache = new Map<string, Uint8Array>();

function encodeBuiltMeta(meta: Meta): Uint8Array | undefined {
  const typeBytes = TYPE_BYTES[meta.type];
  let fields = 0;
  for (const _ in meta) fields++;
  if (fields !== 3 || typeBytes === undefined || !(meta.lastWrite instanceof Date)) return undefined;
  const keyBytes = encodeKey(meta.key);
  const out = new Uint8Array(3 + FIELD_KEY.length + keyBytes.length + FIELD_TYPE.length + typeBytes.length + FIELD_LAST_WRITE.length + 10);
  // a map of 3 pairs, with the 16-bit length form cbor-x reserves for objects
  out[0] = 0xb9;
  out[1] = 0x00;
  out[2] = 0x03;
  let at = put(out, 3, FIELD_KEY);
  at = put(out, at, keyBytes);
  at = put(out, at, FIELD_TYPE);
  at = put(out, at, typeBytes);
  at = put(out, at, FIELD_LAST_WRITE);
  out[at++] = 0xc1; // tag 1: epoch seconds
  const ms = meta.lastWrite.getTime();
  if (ms % 1000 === 0 && ms >= 0 && ms / 1000 < 0x100000000) {
    out[at++] = 0x1a;
    new DataView(out.buffer, at, 4).setUint32(0, ms / 1000);
    return out.subarray(0, at + 4);
  }
  out[at++] = 0xfb;
  new DataView(out.buffer, at, 8).setFloat64(0, ms / 1000);
  return out;
}

function put(out: Uint8Array, at: number, part: Uint8Array): number {
  out.set(part, at);
  return at + part.length;
}

function encodeKey(key: unknown): Uint8Array {
  if (typeof key !== 'string') return new Uint8Array(encoder.encode(key));
  let bytes = keyBytesCache.get(key);
  if (bytes === undefined) {
    bytes = new Uint8Array(encoder.encode(key));
    // bounded, evicting the oldest: it must never grow with the keys ever written
    if (keyBytesCache.size >= 4096) keyBytesCache.delete(keyBytesCache.keys().next().value!);
    keyBytesCache.set(key, bytes);
  }
  return bytes;
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
