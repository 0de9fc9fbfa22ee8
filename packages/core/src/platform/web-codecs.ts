/**
 * gzip and AES-256-GCM over Web APIs for the browser side of the platform seam: CompressionStream
 * and Web Crypto, both asynchronous, so these answer with promises. They write the same formats as
 * node:zlib and node:crypto (RFC 1952 members; `nonce ‖ ciphertext ‖ tag`), so each platform reads
 * the other's bytes. Each takes its input before it returns (a Blob and Web Crypto copy it).
 */
import { concatBytes } from '../internal/concat';
import { AES_GCM_NONCE } from './aes-gcm-layout';

// Web Crypto's types as core's type environment (no DOM lib) names them
type Subtle = typeof globalThis.crypto.subtle;
type CryptoKey = Awaited<ReturnType<Subtle['importKey']>>;
type AesGcmParams = Extract<Parameters<Subtle['encrypt']>[0], { iv: unknown }>;
/** A byte array over a plain ArrayBuffer, as Web APIs type their inputs. */
type Bytes = Uint8Array<ArrayBuffer>;

/**
 * gzip through CompressionStream. CompressionStream takes no level: `level` is not used.
 * @param bytes - what to compress
 * @param _level - zlib's level on Node; none here
 * @returns a promise of the gzip member
 */
export function gzip(bytes: Uint8Array, _level: number): Promise<Uint8Array> {
  return collect(streamOf(bytes).pipeThrough(new CompressionStream('gzip')), Infinity);
}

/**
 * Reverses {@link gzip} (or node:zlib's gzip) through DecompressionStream, and stops reading as
 * soon as the output passes `maxLength` bytes: rejects with code `ERR_BUFFER_TOO_LARGE` then, as
 * node:zlib does, so a small forged payload never expands in memory.
 * @param bytes - a gzip member
 * @param maxLength - the most bytes the output may have; no bound when `undefined`
 * @returns a promise of the uncompressed bytes
 */
export function gunzip(bytes: Uint8Array, maxLength: number | undefined): Promise<Uint8Array> {
  return collect(streamOf(bytes).pipeThrough(new DecompressionStream('gzip')), maxLength ?? Infinity);
}

/** An AES-256 key in the form Web Crypto takes: imported once, on first use. */
export interface AesKey {
  readonly raw: Uint8Array;
  imported?: Promise<CryptoKey>;
}

/**
 * The platform form of an AES-256 key, copied: 32 bytes (browsers have no KeyObject).
 * @param key - what the user gave
 * @returns the key, or `undefined` when it is not 32 bytes
 */
export function aesKeyOf(key: unknown): AesKey | undefined {
  // a copy: later changes to the caller's array do not change the key
  return key instanceof Uint8Array && key.length === 32 ? { raw: key.slice() } : undefined;
}

/**
 * AES-256-GCM encryption through Web Crypto.
 * @param key - the key
 * @param nonce - 12 fresh random bytes
 * @param plain - what to encrypt
 * @param aad - the associated data the tag binds
 * @returns a promise of `nonce ‖ ciphertext ‖ tag`
 */
export async function aesGcmSeal(key: AesKey, nonce: Uint8Array, plain: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  // Web Crypto copies `plain` at the call, before the first await
  const sealed = globalThis.crypto.subtle.encrypt(gcm(nonce, aad), await cryptoKey(key), plain as Bytes);
  return concatBytes([nonce, new Uint8Array(await sealed)]);
}

/**
 * Opens `nonce ‖ ciphertext ‖ tag` (at least nonce and tag long) through Web Crypto.
 * @param key - the key to try
 * @param sealed - what {@link aesGcmSeal} (or node:crypto's side) wrote
 * @param aad - the associated data, if the value was bound to any
 * @returns a promise of the plaintext, or of `undefined` when the tag does not authenticate
 */
export async function aesGcmOpen(key: AesKey, sealed: Uint8Array, aad: Uint8Array | undefined): Promise<Uint8Array | undefined> {
  const nonce = sealed.slice(0, AES_GCM_NONCE);
  const body = sealed.slice(AES_GCM_NONCE);
  try {
    return new Uint8Array(await globalThis.crypto.subtle.decrypt(gcm(nonce, aad), await cryptoKey(key), body));
  } catch (e) {
    // Web Crypto reports a tag that does not authenticate as an OperationError, and nothing else
    if ((e as { name?: unknown } | null)?.name === 'OperationError') return undefined;
    throw e;
  }
}

function gcm(nonce: Uint8Array, aad: Uint8Array | undefined): AesGcmParams {
  const params: AesGcmParams = { name: 'AES-GCM', iv: nonce as Bytes, tagLength: 128 };
  if (aad !== undefined) params.additionalData = aad as Bytes;
  return params;
}

function cryptoKey(key: AesKey): Promise<CryptoKey> {
  key.imported ??= globalThis.crypto.subtle.importKey('raw', key.raw as Bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return key.imported;
}

function streamOf(bytes: Uint8Array) {
  // a Blob copies the bytes now: the caller's array may be reused once this returns
  return new Blob([bytes as Bytes]).stream();
}

/** Reads a stream to its end into one array; rejects with `ERR_BUFFER_TOO_LARGE` once past `max` bytes. */
async function collect(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(chunks);
    length += value.length;
    if (length > max) {
      await reader.cancel();
      throw Object.assign(new RangeError(`the output passes ${max} bytes`), { code: 'ERR_BUFFER_TOO_LARGE' });
    }
    chunks.push(value);
  }
}
