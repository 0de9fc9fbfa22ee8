/**
 * Meta is always CBOR, whatever the store's value serializer, so `keys()` and `getMeta` read
 * any blob without its codecs (meta is never compressed or encrypted).
 */
import { utf8Length as utf8ByteLength, utf8Write } from '#platform';
import { Encoder } from 'cbor-x';
import { canExpire } from './blob';
import { headSize, MAJOR_TEXT, putU32BE, writeHead } from './cbor-head';
import { corrupt, notSerializable } from '../errors';
import type { BlobType, Key, Meta, UserMeta } from '../model';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, copyBuffers: true });

/**
 * Builds a Meta where the built fields win over the user's: `key`, `type`, `lastWrite`, and
 * `expiresAt`, which is there only when given (a user field of that name is dropped).
 */
export function buildMeta(key: Key, type: BlobType, lastWrite: Date, user?: UserMeta, expiresAt?: number): Meta {
  if (user === undefined && expiresAt === undefined) return { key, type, lastWrite };
  const meta: Meta = { ...user, key, type, lastWrite };
  if (expiresAt !== undefined) meta.expiresAt = expiresAt;
  else if (user !== undefined && 'expiresAt' in user) delete meta.expiresAt;
  return meta;
}

/** The user fields of a Meta (everything but key, type, lastWrite and expiresAt). */
export function userMetaOf(meta: Meta | undefined): UserMeta | undefined {
  if (meta === undefined) return undefined;
  const { key: _k, type: _t, lastWrite: _l, expiresAt: _e, ...user } = meta;
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

// The common Meta, `{ key, type, lastWrite }` with no user fields, is encoded on every write: it
// is written by hand, in exactly the bytes cbor-x writes for it (a test holds the two equal).
const FIELD_KEY = new Uint8Array(encoder.encode('key'));
const FIELD_TYPE = new Uint8Array(encoder.encode('type'));
const FIELD_LAST_WRITE = new Uint8Array(encoder.encode('lastWrite'));
const TYPE_BYTES: Record<string, Uint8Array> = {
  value: new Uint8Array(encoder.encode('value')),
  binary: new Uint8Array(encoder.encode('binary')),
  'append-log': new Uint8Array(encoder.encode('append-log')),
};
// a map of 3 pairs, with the 16-bit length form cbor-x reserves for objects
const MAP_HEAD = [0xb9, 0x00, 0x03] as const;
// map head + "key" + "type" + the type's bytes (longest: append-log) + "lastWrite" + the Date
const FIXED_MAX = 3 + FIELD_KEY.length + FIELD_TYPE.length + 11 + FIELD_LAST_WRITE.length + 10;

function encodeBuiltMeta(meta: Meta): Uint8Array | undefined {
  if (!hasBuiltShape(meta)) return undefined;
  const key = meta.key;
  const keyLength = typeof key === 'string' ? utf8Length(key) : -1;
  // a key that is not a well-formed string goes through cbor-x itself (lone surrogates are
  // written differently by cbor-x for short and long strings; numbers and structures vary)
  const keyBytes = keyLength < 0 ? encoder.encode(key) : undefined;
  const out = new Uint8Array(builtSize(meta, keyLength, keyBytes));
  writeBuilt(out, 0, meta, keyLength, keyBytes);
  return out;
}

/**
 * The size of `meta` encoded in its common form (see {@link writeBuiltMeta}), or -1 when it
 * does not have that form: user fields, or a key that is not a well-formed string. Then the
 * caller uses {@link encodeMeta}.
 */
export function builtMetaSize(meta: Meta): number {
  if (!hasBuiltShape(meta) || typeof meta.key !== 'string') return -1;
  const keyLength = utf8Length(meta.key);
  return keyLength < 0 ? -1 : builtSize(meta, keyLength, undefined);
}

/**
 * Writes `meta` at `out[at..]`, in exactly the bytes {@link encodeMeta} returns for it, for a
 * Meta whose {@link builtMetaSize} is not -1 (the caller sized `out` with it). It lets a blob
 * carry its meta without a separate array for it.
 */
export function writeBuiltMeta(out: Uint8Array, at: number, meta: Meta): void {
  writeBuilt(out, at, meta, utf8Length(meta.key as string), undefined);
}

function hasBuiltShape(meta: Meta): boolean {
  return TYPE_BYTES[meta.type] !== undefined && meta.lastWrite instanceof Date && onlyBuiltFields(meta);
}

/** Whether the Date is written as a uint32 of seconds (else a float64). */
function isShortDate(ms: number): boolean {
  return ms % 1000 === 0 && ms >= 0 && ms / 1000 < 0x100000000;
}

function builtSize(meta: Meta, keyLength: number, keyBytes: Uint8Array | undefined): number {
  const keySize = keyBytes === undefined ? headSize(keyLength) + keyLength : keyBytes.length;
  return FIXED_MAX - 11 + TYPE_BYTES[meta.type]!.length - (isShortDate(meta.lastWrite.getTime()) ? 4 : 0) + keySize;
}

function writeBuilt(out: Uint8Array, at: number, meta: Meta, keyLength: number, keyBytes: Uint8Array | undefined): void {
  const ms = meta.lastWrite.getTime();
  out[at++] = MAP_HEAD[0];
  out[at++] = MAP_HEAD[1];
  out[at++] = MAP_HEAD[2];
  out.set(FIELD_KEY, at);
  at += FIELD_KEY.length;
  if (keyBytes !== undefined) {
    out.set(keyBytes, at);
    at += keyBytes.length;
  } else {
    at = writeText(out, at, meta.key as string, keyLength);
  }
  out.set(FIELD_TYPE, at);
  at += FIELD_TYPE.length;
  const typeBytes = TYPE_BYTES[meta.type]!;
  out.set(typeBytes, at);
  at += typeBytes.length;
  out.set(FIELD_LAST_WRITE, at);
  at += FIELD_LAST_WRITE.length;
  writeDate(out, at, ms, isShortDate(ms));
}

// Meta objects come from buildMeta: exactly these three fields unless the user added some. A
// for..in count walks the enum cache; checking the shape's own keys by name allocates nothing.
function onlyBuiltFields(meta: Meta): boolean {
  let fields = 0;
  for (const name in meta) {
    if (name !== 'key' && name !== 'type' && name !== 'lastWrite') return false;
    fields++;
  }
  return fields === 3;
}

// String#isWellFormed is in every Node this package supports (>= 20), but not in the ES2022 lib
type WellFormedCheck = string & { isWellFormed(): boolean };

/** The UTF-8 length of a well-formed string, or -1 when it holds a lone surrogate. */
function utf8Length(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) return (s as WellFormedCheck).isWellFormed() ? utf8ByteLength(s) : -1;
  }
  return n;
}

/** Writes a CBOR text string (major type 3, shortest head, as cbor-x does) of `length` UTF-8 bytes. */
function writeText(out: Uint8Array, at: number, s: string, length: number): number {
  at = writeHead(out, at, MAJOR_TEXT, length);
  if (length === s.length) {
    // ASCII (utf8Length returns the string's length only then): a byte per character
    for (let i = 0; i < length; i++) out[at + i] = s.charCodeAt(i);
  } else {
    utf8Write(s, out, at, length);
  }
  return at + length;
}

/** Writes a Date as cbor-x does: tag 1 with epoch seconds, a uint32 when whole, else a float64. */
function writeDate(out: Uint8Array, at: number, ms: number, short: boolean): void {
  out[at++] = 0xc1;
  if (short) {
    out[at++] = 0x1a;
    putU32BE(out, at, ms / 1000);
  } else {
    out[at++] = 0xfb;
    FLOAT[0] = ms / 1000;
    // FLOAT_BYTES is the float's bytes in the platform's order; CBOR wants big-endian
    for (let i = 0; i < 8; i++) out[at + i] = FLOAT_BYTES[LITTLE_ENDIAN ? 7 - i : i]!;
  }
}

const FLOAT = new Float64Array(1);
const FLOAT_BYTES = new Uint8Array(FLOAT.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes Meta bytes (already checksummed); errors with `ERR_CORRUPT` when they are not a Meta.
 * @param version - the blob's format version, when the meta comes from a blob: a version 3 meta
 *   must hold a finite `expiresAt`; before version 3 `expiresAt` was a plain user field, which
 *   this drops, so that `expiresAt` in a Meta always means the key expires
 */
export function decodeMeta(bytes: Uint8Array, key: unknown, version?: number): Meta {
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
  if (version === undefined) return m as Meta;
  if (canExpire(version)) {
    if (typeof m.expiresAt !== 'number' || !Number.isFinite(m.expiresAt)) throw corrupt(key, 'an expiring blob has no valid expiresAt');
  } else if ('expiresAt' in m) {
    delete m.expiresAt;
  }
  return m as Meta;
}
