/** AES-256-GCM encryption from node:crypto. */
import type { KeyObject } from 'node:crypto';
import { createCipheriv, createDecipheriv, createSecretKey, KeyObject as KeyObjectClass, randomBytes } from '#platform';
import type { Encryptor } from '../codec';
import { invalidArgument, KonserveError } from '../errors';

/** The header id of the AES-256-GCM encryptor: the value is bound to its key (associated data). */
export const AES_GCM_ENCRYPTOR_ID = 2;
/** The header id of AES-256-GCM without associated data, as written before id 2; still read. */
export const AES_GCM_UNBOUND_ENCRYPTOR_ID = 1;

const NONCE = 12;
const TAG = 16;

/** Options of {@link aesGcmEncryptor}. */
export interface AesGcmEncryptorOptions {
  /** The 256-bit key: 32 bytes, or a secret `KeyObject` of that size. Keep it outside the store. */
  key: Uint8Array | KeyObject;
  /**
   * Older keys tried, in order, when `key` does not open a blob: lets a store move to a new key
   * while blobs written with the old one are still read (each rewrite uses `key`).
   * @default []
   */
  previousKeys?: ReadonlyArray<Uint8Array | KeyObject>;
}

/**
 * Creates the AES-256-GCM encryptor (id 2). Each write draws a fresh random 12-byte nonce and
 * stores `nonce ‖ ciphertext ‖ 16-byte tag`, with the key's canonical form as associated data: a
 * wrong key, altered bytes, or a value moved to another key in storage fail the tag check with
 * `ERR_DECRYPT`, returning no data. It also reads blobs of id 1 (the same cipher without
 * associated data, written by earlier versions). Only values (and append-log elements) are
 * encrypted: keys and `Meta` stay readable in each blob's head (so `keys()` works without the
 * key), and binaries written with `bassoc` are stored as given, unencrypted.
 * @param options - the key, and older keys still accepted for reading
 * @returns an Encryptor with id 2; errors with `ERR_INVALID_ARGUMENT` when a key is not 32 bytes
 * @example
 * ```ts
 * const key = randomBytes(32); // keep it, e.g. in a secrets manager
 * const store = createStore(memoryBacking(), { compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key }) });
 * ```
 */
export function aesGcmEncryptor(options: AesGcmEncryptorOptions): Encryptor {
  const key = secretKey(options?.key, 'key');
  const keys = [key, ...(options.previousKeys ?? []).map((k, i) => secretKey(k, `previousKeys[${i}]`))];
  const unbound: Encryptor = {
    id: AES_GCM_UNBOUND_ENCRYPTOR_ID,
    name: 'aes-256-gcm (unbound)',
    encrypt: () => {
      throw invalidArgument('aes-256-gcm without associated data (id 1) is only read, never written');
    },
    decrypt: (bytes) => decrypt(keys, bytes, undefined),
  };
  return {
    id: AES_GCM_ENCRYPTOR_ID,
    name: 'aes-256-gcm',
    alsoReads: [unbound],
    encrypt(bytes, context) {
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(context);
      const body = cipher.update(bytes);
      const last = cipher.final();
      const out = new Uint8Array(NONCE + body.length + last.length + TAG);
      out.set(nonce, 0);
      out.set(body, NONCE);
      out.set(last, NONCE + body.length);
      out.set(cipher.getAuthTag(), out.length - TAG);
      return out;
    },
    decrypt: (bytes, context) => decrypt(keys, bytes, context),
  };
}

/** Opens `nonce ‖ ciphertext ‖ tag` with the first key that authenticates it. */
function decrypt(keys: readonly KeyObject[], bytes: Uint8Array, context: Uint8Array | undefined): Uint8Array {
  if (bytes.length < NONCE + TAG) throw decryptError('the ciphertext is shorter than nonce and tag');
  for (const k of keys) {
    const plain = open(k, bytes, context);
    if (plain !== undefined) return plain;
  }
  throw decryptError('wrong key, a value moved from another key, or altered ciphertext (authentication failed)');
}

// GCM's update() releases plaintext before final() checks the tag: only return it after that check
function open(key: KeyObject, bytes: Uint8Array, context: Uint8Array | undefined): Uint8Array | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
  if (context !== undefined) decipher.setAAD(context);
  const body = decipher.update(bytes.subarray(NONCE, bytes.length - TAG));
  try {
    decipher.final();
  } catch {
    body.fill(0);
    return undefined;
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

function secretKey(key: unknown, name: string): KeyObject {
  if (key instanceof KeyObjectClass) {
    if (key.type !== 'secret' || key.symmetricKeySize !== 32) throw invalidArgument(`aesGcmEncryptor: \`${name}\` must be a 32-byte secret key`);
    return key;
  }
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    const got = key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
    throw invalidArgument(`aesGcmEncryptor: \`${name}\` must be 32 bytes (got ${got})`);
  }
  return createSecretKey(key.slice()); // copies: later changes to the caller's array do not change the key
}

function decryptError(why: string): KonserveError {
  return new KonserveError('ERR_DECRYPT', `cannot decrypt: ${why}`);
}
