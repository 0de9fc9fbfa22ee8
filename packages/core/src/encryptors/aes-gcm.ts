/** AES-256-GCM encryption: node:crypto in Node, Web Crypto in browsers (through core's platform seam). */
import type { KeyObject } from 'node:crypto';
import { aesGcmOpen, aesGcmSeal, aesKeyOf, randomBytes, type AesKey } from '#platform';
import { AES_GCM_NONCE, AES_GCM_TAG } from '../platform/aes-gcm-layout';
import type { MaybePromise } from '../backing';
import type { Encryptor } from '../codec';
import { invalidArgument, KonserveError } from '../errors';
import { isThenable } from '../maybe-promise';

/** The header id of the AES-256-GCM encryptor: the value is bound to its key (associated data). */
export const AES_GCM_ENCRYPTOR_ID = 2;
/** The header id of AES-256-GCM without associated data, as written before id 2; still read. */
export const AES_GCM_UNBOUND_ENCRYPTOR_ID = 1;

/** Options of {@link aesGcmEncryptor}. */
export interface AesGcmEncryptorOptions {
  /**
   * The 256-bit key: 32 bytes, or (in Node) a secret `KeyObject` of that size. Keep it outside the
   * store.
   */
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
 *
 * Node encrypts synchronously (node:crypto); browsers through Web Crypto, whose answers are
 * promises (the Store API is the same). The bytes are the same: either platform opens the other's.
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
    encrypt: (bytes, context) => aesGcmSeal(key, randomBytes(AES_GCM_NONCE), bytes, context),
    decrypt: (bytes, context) => decrypt(keys, bytes, context),
  };
}

/** Opens `nonce ‖ ciphertext ‖ tag` with the first key that authenticates it, trying them in order. */
function decrypt(keys: readonly AesKey[], bytes: Uint8Array, context: Uint8Array | undefined, from = 0): MaybePromise<Uint8Array> {
  if (bytes.length < AES_GCM_NONCE + AES_GCM_TAG) throw decryptError('the ciphertext is shorter than nonce and tag');
  for (let i = from; i < keys.length; i++) {
    const plain = aesGcmOpen(keys[i]!, bytes, context);
    // an asynchronous platform: the next key is tried once this one has answered
    if (isThenable<Uint8Array | undefined>(plain)) return Promise.resolve(plain).then((p) => p ?? decrypt(keys, bytes, context, i + 1));
    if (plain !== undefined) return plain;
  }
  throw decryptError('wrong key, a value moved from another key, or altered ciphertext (authentication failed)');
}

function secretKey(key: unknown, name: string): AesKey {
  const k = aesKeyOf(key);
  if (k !== undefined) return k;
  const got = key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
  throw invalidArgument(`aesGcmEncryptor: \`${name}\` must be 32 bytes or a 32-byte secret KeyObject (got ${got})`);
}

function decryptError(why: string): KonserveError {
  return new KonserveError('ERR_DECRYPT', `cannot decrypt: ${why}`);
}
