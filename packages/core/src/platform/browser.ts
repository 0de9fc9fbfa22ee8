/**
 * The browser side of core's platform seam (`#platform`, chosen by the `browser` condition of
 * core's package.json `imports`): the same names as node.ts over Web APIs and plain JS. gzip
 * (CompressionStream) and AES-GCM (Web Crypto) answer with promises, which the Compressor and
 * Encryptor contracts allow; what a browser cannot do at all (brotli, lz4) fails with `ERR_FORMAT`
 * naming it.
 */
import { unsupportedFormat } from '../errors';
import { sha256 } from './sha256';

/** Which side of the seam this is. */
export const PLATFORM: 'node' | 'browser' = 'browser';

/** No native CRC-32 in browsers: core's JS loop computes every length. */
export const nativeCrc32: ((bytes: Uint8Array, previous: number) => number) | undefined = undefined;

export { aesGcmOpen, aesGcmSeal, aesKeyOf, gunzip, gzip, type AesKey } from './web-codecs';

const unavailable = (what: string) => (): never => {
  throw unsupportedFormat(`${what} is not available in browsers (konserve-rx's browser build)`);
};

/** Not in browsers: ERR_FORMAT naming brotli. */
export const brotli = unavailable('brotli');
/** Not in browsers: ERR_FORMAT naming brotli. */
export const unbrotli = unavailable('brotli');

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex characters: the same key ids as Node.
 * @param text - the text to hash
 * @returns its digest in hex
 */
export function sha256Hex(text: string): string {
  let hex = '';
  for (const byte of sha256(encoder.encode(text))) hex += HEX[byte];
  return hex;
}

/**
 * Cryptographically strong random bytes (`crypto.getRandomValues`).
 * @param length - how many
 * @returns a new array of `length` random bytes
 */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call
  for (let at = 0; at < length; at += 65536) globalThis.crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65536)));
  return out;
}

/** Not in browsers: ERR_FORMAT naming lz4 (a native module). */
export function requireLz4(): never {
  throw unsupportedFormat('lz4 is not available in browsers (lz4-napi is a native module)');
}

/** Diagnostics channels are a Node facility: in browsers nothing subscribes. */
export function diagnosticsChannel(_name: string): { readonly hasSubscribers: boolean; publish(message: unknown): void } {
  return { hasSubscribers: false, publish: () => undefined };
}

/** The UTF-8 length of a well-formed string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c < 0xd800 || c > 0xdbff) n += 3;
    else {
      // a surrogate pair: one 4-byte sequence for two UTF-16 units
      n += 4;
      i++;
    }
  }
  return n;
}

/** Writes the UTF-8 bytes of `s` (exactly `length` of them) into `out` at `at`. */
export function utf8Write(s: string, out: Uint8Array, at: number, length: number): void {
  encoder.encodeInto(s, out.subarray(at, at + length));
}

/** A fresh array of `size` bytes that {@link utf8WriteAt} can write into. */
export function scratchBytes(size: number): Uint8Array {
  return new Uint8Array(size);
}

/**
 * Writes the UTF-8 bytes of `s` into `out` at `at`, a lone surrogate as U+FFFD, and returns how
 * many it wrote; `out` must have room for `3 * s.length` of them.
 */
export function utf8WriteAt(s: string, out: Uint8Array, at: number): number {
  return encoder.encodeInto(s, out.subarray(at)).written;
}

/** The UTF-8 bytes of `s`, in a new array. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** The text of UTF-8 bytes `bytes[start, end)` (lone or broken sequences become U+FFFD). */
export function utf8Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** Base64 (standard alphabet, padded) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** The bytes of base64 `text`. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/[^A-Za-z0-9+/]/g, ''));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The index of the first `byte` in `bytes` at or after `from`, or -1. */
export function indexOfByte(bytes: Uint8Array, byte: number, from = 0): number {
  return bytes.indexOf(byte, from);
}
