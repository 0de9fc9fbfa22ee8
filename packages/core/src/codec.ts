/**
 * The contracts of the three value codecs a Store composes: a serializer turns values into
 * bytes, an optional compressor and an optional encryptor transform those bytes. Each has a
 * numeric id recorded in every blob header, so a store opened with other settings still reads
 * older blobs.
 *
 * A compressor or encryptor may answer with a Promise where its platform's API is asynchronous
 * (gzip through CompressionStream, AES-GCM through Web Crypto in browsers); core waits for it
 * inside the operation, so the Store API is the same. A synchronous answer keeps a synchronous
 * backing's operations synchronous. Serializers are always synchronous: a value is serialized at
 * subscribe, which is what makes a write isolated from later mutation of the value. An
 * asynchronous codec takes what it needs of its input before it returns (Web APIs copy it at the
 * call): the serializer's output may be a view of a buffer that the next encoding reuses.
 */
import type { MaybePromise } from './backing';

/** Turns values into bytes and back. */
export interface Serializer {
  /** The id written in blob headers (0-255); 1 is CBOR, 2 is JSON, 128+ are free for users. */
  readonly id: number;
  /** A short name for messages and docs. */
  readonly name: string;
  /** Encodes a value; throws on values it cannot represent. */
  encode(value: unknown): Uint8Array;
  /**
   * Optional: encodes like `encode`, into bytes that stay valid only until this serializer (or,
   * for `cborSerializer`, any CBOR serializer in the process: they share one buffer) encodes
   * again. The store calls it only where it copies the bytes at once (into the blob it builds, with
   * no compressor or encryptor in between), so the serializer may reuse one buffer for every call
   * instead of allocating output that is dropped right after the copy.
   */
  encodeTransient?(value: unknown): Uint8Array;
  /**
   * Decodes bytes written by `encode`, returning a fresh, mutable value.
   * @param stable - true when the same array, unchanged, may be decoded again (a blob a backing
   *   keeps in memory): a serializer may then remember what it learned of the array, keyed by it
   */
  decode(bytes: Uint8Array, stable?: boolean): unknown;
  /**
   * Whether a native (compiled) accelerator is active, for serializers that have one (CBOR:
   * cbor-x's `cbor-extract` add-on, whose install script a package manager may have blocked);
   * `inspectStore` reports it. Absent for serializers without one.
   */
  readonly native?: boolean;
}

/** Compresses the encoded value bytes. */
export interface Compressor {
  /** The id written in blob headers (1-255; 0 means none). */
  readonly id: number;
  /** A short name for messages and docs. */
  readonly name: string;
  /** Compresses bytes (or a promise of them, on a platform whose API is asynchronous). */
  compress(bytes: Uint8Array): MaybePromise<Uint8Array>;
  /**
   * Reverses `compress`.
   * @param maxLength - the most bytes the output may have (the uncompressed size the store
   *   recorded, or its `maxDecompressedBytes`): stop and throw as soon as the output would be
   *   longer, so a small forged payload cannot expand into gigabytes. The store checks the output's
   *   length after the call as well, so a compressor that cannot stop early is still safe, only slower.
   */
  decompress(bytes: Uint8Array, maxLength?: number): MaybePromise<Uint8Array>;
}

/** Encrypts the (compressed) value bytes. */
export interface Encryptor {
  /** The id written in blob headers (1-255; 0 means none). */
  readonly id: number;
  /** A short name for messages and docs. */
  readonly name: string;
  /**
   * Encrypts bytes (with a fresh nonce each call), or gives a promise of them.
   * @param context - the UTF-8 canonical form of the key the value is stored under. An
   *   authenticated encryptor binds the ciphertext to it (associated data), so a value moved to
   *   another key in storage fails to decrypt instead of reading as that key's value.
   */
  encrypt(bytes: Uint8Array, context: Uint8Array): MaybePromise<Uint8Array>;
  /**
   * Decrypts bytes written for `context` (or a promise of them); throws or rejects with
   * `ERR_DECRYPT` on a wrong key, another context or tampered data.
   */
  decrypt(bytes: Uint8Array, context: Uint8Array): MaybePromise<Uint8Array>;
  /**
   * Encryptors for older header ids that this one also reads (never writes), e.g. an earlier
   * version of the same cipher: a store registers them as readers along with this one.
   */
  readonly alsoReads?: readonly Encryptor[];
}
