/**
 * Meta is always CBOR, whatever the store's value serializer, so `keys()` and `getMeta` read
 * any blob without its codecs (meta is never compressed or encrypted).
 */
import { Encoder } from 'cbor-x';
import { corrupt, notSerializable } from '../errors';
import type { BlobType, Key, Meta, UserMeta } from '../store';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });

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
  try {
    return encoder.encode(meta);
  } catch (e) {
    throw notSerializable(meta.key, e);
  }
}

/** Decodes Meta bytes (already checksummed); errors with `ERR_CORRUPT` when they are not a Meta. */
export function decodeMeta(bytes: Uint8Array, key: unknown): Meta {
  let meta: unknown;
  try {
    meta = encoder.decode(bytes.slice());
  } catch (e) {
    throw corrupt(key, `meta does not decode: ${(e as Error).message}`);
  }
  const m = meta as Partial<Meta> | null;
  if (m === null || typeof m !== 'object' || typeof m.type !== 'string' || !(m.lastWrite instanceof Date)) {
    throw corrupt(key, 'meta is not a Meta record');
  }
  return m as Meta;
}
