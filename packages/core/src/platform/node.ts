/**
 * The Node side of core's platform seam (`#platform`, chosen by the `node`/`default` condition of
 * core's package.json `imports`): node:crypto, node:zlib and node:diagnostics_channel. The browser
 * side (browser.ts) exports the same names; core code imports them only through `#platform`.
 */
import { constants as bufferConstants } from 'node:buffer';
import { hash, randomFillSync } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { crc32 } from 'node:zlib';

export { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
export { createCipheriv, createDecipheriv, createSecretKey, KeyObject } from 'node:crypto';

/** Which side of the seam this is. */
export const PLATFORM: 'node' | 'browser' = 'node';

/** The largest byte array the platform allocates (zlib's output bound). */
export const MAX_BUFFER_LENGTH: number = bufferConstants.MAX_LENGTH;

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
