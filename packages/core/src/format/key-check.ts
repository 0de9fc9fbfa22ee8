/**
 * Every blob records its key in its meta, and a read checks it: a blob copied under another key's
 * id (or into another log) is `ERR_CORRUPT`, never that key's value. Reads by key compare the
 * recorded key with the one asked for; listings (which have only the id) compare the id with the
 * hash of the recorded key.
 */
import { utf8Decode } from '#platform';
import { Encoder } from 'cbor-x';
import { corrupt, describeKey } from '../errors';
import type { Meta } from '../model';
import { HEADER_SIZE } from './blob';
import { canonicalKey, isUserBlobId, keyRef, unscopedBlobId } from './key';
import { decodeMeta } from './meta';

// the meta's own encoder settings (meta-codec.ts), to see a key as a stored meta holds it
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, copyBuffers: true });

/**
 * Errors with `ERR_CORRUPT` naming `key` unless the checked blob `bytes` (meta at
 * `bytes[HEADER_SIZE..HEADER_SIZE + metaLength)`) records `key`. A string key that leads its meta,
 * as every meta without user fields does, is compared in place, decoding nothing.
 */
export function checkBlobKey(bytes: Uint8Array, metaLength: number, key: unknown): void {
  if (typeof key === 'string' && leadingKeyIs(bytes, key)) return;
  checkMetaKey(decodeMeta(bytes.subarray(HEADER_SIZE, HEADER_SIZE + metaLength), key), key);
}

/**
 * Errors with `ERR_CORRUPT` unless a decoded Meta belongs where it was read: it records `key`,
 * or, read by blob `id` alone (`key` undefined, as `keys()` reads), `id` is its key's blob id
 * (after the scope prefix, when the id has one).
 */
export function checkMetaKey(meta: Meta, key: unknown, id?: string): void {
  const bare = id === undefined ? undefined : unscopedBlobId(id);
  if (key !== undefined) {
    if (!sameKey(meta.key, key)) throw corrupt(key, `its blob records another key, ${describeKey(meta.key)}`);
  } else if (bare !== undefined && isUserBlobId(bare) && !idMatches(meta.key, bare)) {
    throw corrupt(meta.key, `blob ${id} is not this key's blob (it belongs under ${safeId(meta.key)})`);
  }
}

/** Whether the meta starts `{ "key": <text> ...` with exactly `key` as the text. */
function leadingKeyIs(b: Uint8Array, key: string): boolean {
  // a 16-bit map head (as cbor-x writes objects), then the text "key"
  let at = HEADER_SIZE + 3;
  if (b[HEADER_SIZE] !== 0xb9 || b[at] !== 0x63 || b[at + 1] !== 0x6b || b[at + 2] !== 0x65 || b[at + 3] !== 0x79) return false;
  at += 4;
  const head = b[at]!;
  let length: number;
  if (head >= 0x60 && head < 0x78) {
    length = head - 0x60;
    at += 1;
  } else if (head === 0x78) {
    length = b[at + 1]!;
    at += 2;
  } else if (head === 0x79) {
    length = (b[at + 1]! << 8) | b[at + 2]!;
    at += 3;
  } else {
    return false;
  }
  if (at + length > b.length) return false;
  if (length === key.length) {
    // ASCII in place; a key with other characters has more UTF-8 bytes than characters
    let i = 0;
    while (i < length && b[at + i] === key.charCodeAt(i)) i++;
    if (i === length) return true;
  }
  return utf8Decode(b, at, at + length) === key;
}

/** Equal keys by value; a string key with lone surrogates is compared as CBOR gives it back. */
function sameKey(recorded: unknown, key: unknown): boolean {
  if (recorded === key) return true;
  if (typeof key === 'string' && typeof recorded !== 'string') return false;
  try {
    if (typeof key !== 'string' && canonicalKey(recorded) === keyRef(key).canonical) return true;
    // cbor-x does not give back lone surrogates as written: compare with what it gives back
    return canonicalKey(recorded) === canonicalKey(encoder.decode(encoder.encode(key)));
  } catch {
    return false; // the recorded "key" is not a key at all
  }
}

function idMatches(recorded: unknown, id: string): boolean {
  const own = safeId(recorded);
  // a key with lone surrogates cannot be hashed from its decoded form (see sameKey): unchecked
  return own === id || (own !== undefined && /\ufffd/u.test(canonicalKey(recorded)));
}

function safeId(recorded: unknown): string | undefined {
  try {
    return keyRef(recorded).id;
  } catch {
    return undefined;
  }
}
