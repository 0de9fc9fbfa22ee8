/**
 * The parts of the value bytes that core adds around the codecs (format version 2): the recorded
 * uncompressed size before compressed bytes, the associated data an encryptor binds a value to,
 * and the bounded decompression that trusts no more than that recorded size.
 */
import { utf8Encode } from '#platform';
import type { MaybePromise } from '../backing';
import type { Compressor } from '../codec';
import { attemptMaybe } from '../maybe-promise';
import { corrupt, KonserveError } from '../errors';
import { getU32, putU32 } from './blob';
import type { KeyRef } from './key';

/** Bytes of the uncompressed size (u64 LE) that precede compressed bytes in format version 2. */
export const SIZE_FIELD = 8;

/** `compressed`, preceded by the uncompressed size it expands to. */
export function withSize(compressed: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(SIZE_FIELD + compressed.length);
  putU32(out, 0, size % 2 ** 32);
  putU32(out, 4, Math.floor(size / 2 ** 32));
  out.set(compressed, SIZE_FIELD);
  return out;
}

/**
 * Decompresses value bytes without ever producing more than they may hold: with `sized` (format
 * version 2) exactly the recorded size, which must not pass `max`; without (version 1) at most `max`.
 * Errors with `ERR_CORRUPT` as soon as the output would pass the bound, before the memory is used;
 * asynchronous when the compressor is.
 */
export function decompressBounded(c: Compressor, bytes: Uint8Array, sized: boolean, max: number, key: unknown): MaybePromise<Uint8Array> {
  let bound = max;
  let payload = bytes;
  if (sized) {
    if (bytes.length < SIZE_FIELD) throw corrupt(key, 'the compressed value is shorter than its size field');
    bound = getU32(bytes, 0) + getU32(bytes, 4) * 2 ** 32;
    if (bound > max) throw corrupt(key, `the value records an uncompressed size of ${bound} bytes, more than maxDecompressedBytes (${max})`);
    payload = bytes.subarray(SIZE_FIELD);
  }
  const failed = (e: unknown): never => {
    if ((e as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(key, bound, sized);
    throw decodeFailure(e, key, 'decompress');
  };
  return attemptMaybe(
    () => c.decompress(payload, bound),
    (out) => {
      if (out.length > bound) throw tooLarge(key, bound, sized);
      if (sized && out.length !== bound) throw corrupt(key, `the value decompresses to ${out.length} bytes, not the ${bound} it records`);
      return out;
    },
    failed,
  );
}

function tooLarge(key: unknown, bound: number, sized: boolean): KonserveError {
  return corrupt(key, `the value decompresses to more than ${sized ? `the ${bound} bytes it records` : `maxDecompressedBytes (${bound})`}`);
}

/**
 * What an encryptor binds a value to: the UTF-8 canonical form of its key (the form the blob id is
 * hashed from), so equal keys give equal contexts whatever object the caller passed. An append-log
 * element (format version 2) adds its place, `<gen>.<index>`, after a NUL (which a canonical form,
 * being JSON, never holds raw): an element moved to another log, generation or position fails.
 */
export function encryptionContext(ref: KeyRef, place?: string): Uint8Array {
  const canonical = ref.canonical;
  return utf8Encode(place === undefined ? canonical : `${canonical}\u0000${place}`);
}

/** A codec's failure on bytes whose checksum passed: bytes this codec did not write, `ERR_CORRUPT`. */
export function decodeFailure(e: unknown, key: unknown, what: string): KonserveError {
  if (e instanceof KonserveError) return withKey(e, key);
  return corrupt(key, `value does not ${what}: ${(e as Error).message}`);
}

/** `e` naming `key`, unless it names a key already. */
export function withKey(e: KonserveError, key: unknown): KonserveError {
  if (e.key !== undefined || key === undefined) return e;
  return new KonserveError(e.code, e.message, { key, cause: e.cause ?? e, ...(e.path === undefined ? {} : { path: e.path }) });
}
