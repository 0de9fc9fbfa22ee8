/**
 * The Node side of core's platform seam (`#platform`, chosen by the `node`/`default` condition of
 * core's package.json `imports`): node:crypto, node:zlib and node:diagnostics_channel, all
 * synchronous. The browser side (browser.ts) exports the same names, some answering with promises
 * (Web Crypto, CompressionStream); core code imports them only through `#platform`.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createCipheriv, createDecipheriv, createSecretKey, hash, KeyObject, randomFillSync } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, crc32, gunzipSync, gzipSync } from 'node:zlib';
import { AES_GCM_NONCE, AES_GCM_TAG } from './aes-gcm-layout';

/** Which side of the seam this is. */
export const PLATFORM: 'node' | 'browser' = 'node';

// the largest Buffer: zlib's highest output bound
const MAX_BUFFER_LENGTH: number = bufferConstants.MAX_LENGTH;

/** The CRC-32 of long inputs, natively (zlib), continuing from `previous`; `undefined` where there is none. */
export const nativeCrc32: ((bytes: Uint8Array, previous: number) => number) | undefined = crc32;

/**
 * The SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex characters (key ids).
 * @param text - the text to hash
 * @returns its digest in hex
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * Cryptographically strong random bytes.
 * @param length - how many
 * @returns a new array of `length` random bytes
 */
export function randomBytes(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

/**
 * gzip (RFC 1952), synchronously through node:zlib.
 * @param bytes - what to compress
 * @param level - zlib's level, 1..9
 * @returns the gzip member (a Buffer)
 */
export function gzip(bytes: Uint8Array, level: number): Uint8Array {
  return gzipSync(bytes, { level });
}

/**
 * Reverses {@link gzip}, synchronously; throws with code `ERR_BUFFER_TOO_LARGE` as soon as the
 * output would pass `maxLength`, before allocating more.
 * @param bytes - a gzip member
 * @param maxLength - the most bytes the output may have; no bound when `undefined`
 * @returns the uncompressed bytes (a Buffer)
 */
export function gunzip(bytes: Uint8Array, maxLength: number | undefined): Uint8Array {
  return gunzipSync(bytes, zlibBound(maxLength));
}

/**
 * Brotli (RFC 7932), synchronously through node:zlib.
 * @param bytes - what to compress
 * @param quality - 0..11
 * @returns the brotli stream (a Buffer)
 */
export function brotli(bytes: Uint8Array, quality: number): Uint8Array {
  return brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: quality, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
}

/**
 * Reverses {@link brotli}, bounded as {@link gunzip} is.
 * @param bytes - a brotli stream
 * @param maxLength - the most bytes the output may have; no bound when `undefined`
 * @returns the uncompressed bytes (a Buffer)
 */
export function unbrotli(bytes: Uint8Array, maxLength: number | undefined): Uint8Array {
  return brotliDecompressSync(bytes, zlibBound(maxLength));
}

// node:zlib options that make a synchronous decompression throw (ERR_BUFFER_TOO_LARGE) as soon as
// its output passes `maxLength` bytes, before allocating more
function zlibBound(maxLength: number | undefined): { maxOutputLength: number } | undefined {
  if (maxLength === undefined) return undefined;
  // zlib rejects a bound below 1 or above the largest Buffer; the store checks the exact length
  return { maxOutputLength: Math.min(Math.max(1, maxLength), MAX_BUFFER_LENGTH) };
}

/** An AES-256 key in the form the platform's cipher takes (Node: a secret KeyObject). */
export type AesKey = KeyObject;

/**
 * The platform form of an AES-256 key, copied: 32 bytes, or a secret KeyObject of 32 bytes.
 * @param key - what the user gave
 * @returns the key, or `undefined` when it is not a 256-bit secret key
 */
export function aesKeyOf(key: unknown): AesKey | undefined {
  if (key instanceof KeyObject) return key.type === 'secret' && key.symmetricKeySize === 32 ? key : undefined;
  // a copy: later changes to the caller's array do not change the key
  return key instanceof Uint8Array && key.length === 32 ? createSecretKey(key.slice()) : undefined;
}

/**
 * AES-256-GCM encryption, synchronously through node:crypto.
 * @param key - the key
 * @param nonce - 12 fresh random bytes
 * @param plain - what to encrypt
 * @param aad - the associated data the tag binds
 * @returns `nonce ‖ ciphertext ‖ tag`
 */
export function aesGcmSeal(key: AesKey, nonce: Uint8Array, plain: Uint8Array, aad: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plain);
  const last = cipher.final();
  const out = new Uint8Array(AES_GCM_NONCE + body.length + last.length + AES_GCM_TAG);
  out.set(nonce, 0);
  out.set(body, AES_GCM_NONCE);
  out.set(last, AES_GCM_NONCE + body.length);
  out.set(cipher.getAuthTag(), out.length - AES_GCM_TAG);
  return out;
}

/**
 * Opens `nonce ‖ ciphertext ‖ tag` (at least nonce and tag long), synchronously.
 * @param key - the key to try
 * @param sealed - what {@link aesGcmSeal} wrote
 * @param aad - the associated data, if the value was bound to any
 * @returns the plaintext, or `undefined` when the tag does not authenticate (no plaintext is released)
 */
export function aesGcmOpen(key: AesKey, sealed: Uint8Array, aad: Uint8Array | undefined): Uint8Array | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, AES_GCM_NONCE));
  decipher.setAuthTag(sealed.subarray(sealed.length - AES_GCM_TAG));
  if (aad !== undefined) decipher.setAAD(aad);
  const body = decipher.update(sealed.subarray(AES_GCM_NONCE, sealed.length - AES_GCM_TAG));
  try {
    decipher.final();
  } catch {
    // GCM's update() releases plaintext before final() checks the tag: never return it unchecked
    body.fill(0);
    return undefined;
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * Loads lz4-napi (a native module), on first use only.
 * @returns its frame functions; throws when the platform has no binary for it
 */
export function requireLz4(): Pick<typeof import('lz4-napi'), 'compressFrameSync' | 'decompressFrameSync'> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('lz4-napi') as typeof import('lz4-napi');
}

/**
 * A named diagnostics channel.
 * @param name - the channel's name
 * @returns a channel whose `publish` reaches `node:diagnostics_channel` subscribers
 */
export function diagnosticsChannel(name: string): { readonly hasSubscribers: boolean; publish(message: unknown): void } {
  return channel(name);
}

/** The UTF-8 length of a well-formed string. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Writes the UTF-8 bytes of `s` (exactly `length` of them) into `out` at `at`. */
export function utf8Write(s: string, out: Uint8Array, at: number, length: number): void {
  Buffer.from(out.buffer, out.byteOffset + at, length).write(s, 0, length, 'utf8');
}

/** A fresh array of `size` bytes (unspecified content) that {@link utf8WriteAt} can write into: a Buffer here. */
export function scratchBytes(size: number): Uint8Array {
  return Buffer.allocUnsafeSlow(size);
}

/**
 * Writes the UTF-8 bytes of `s` into `out` (from {@link scratchBytes}) at `at`, a lone surrogate
 * as U+FFFD, and returns how many it wrote; `out` must have room for `3 * s.length` of them.
 */
export function utf8WriteAt(s: string, out: Uint8Array, at: number): number {
  return (out as Buffer).write(s, at, 'utf8');
}

/** The UTF-8 bytes of `s`, in a new array. */
export function utf8Encode(s: string): Uint8Array {
  const b = Buffer.from(s, 'utf8');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The text of UTF-8 bytes `bytes[start, end)` (lone or broken sequences become U+FFFD). */
export function utf8Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/** Base64 (standard alphabet, padded) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The bytes of base64 `text` (invalid characters are skipped, as Node does). */
export function fromBase64(text: string): Uint8Array {
  const b = Buffer.from(text, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The index of the first `byte` in `bytes` at or after `from`, or -1. Buffer's indexOf is a native
 * memchr that works on any Uint8Array, about 4x faster than Uint8Array#indexOf on a 1 KB blob,
 * and called on the array itself it needs no Buffer view (an allocation) per search.
 */
export function indexOfByte(bytes: Uint8Array, byte: number, from = 0): number {
  return bufferIndexOf.call(bytes as Buffer, byte, from);
}

const bufferIndexOf = Buffer.prototype.indexOf;
