/** Options of `createStore`, shared by every `connectXStore`. */
import type { SchedulerLike } from 'rxjs';
import type { Compressor, Encryptor, Serializer } from './codec';
import { optionNames } from './internal/check-options';

/** How a Store encodes values and tells time. */
export interface StoreOptions {
  /**
   * The serializer for new writes. Blobs record theirs, so any registered serializer reads back.
   * @default cborSerializer()
   */
  serializer?: Serializer;
  /**
   * Extra serializers, compressors and encryptors this store can read (besides the ones it writes with).
   * @default []
   */
  readers?: ReadonlyArray<Serializer | Compressor | Encryptor>;
  /**
   * A compressor applied to encoded values of new writes.
   * @default undefined (no compression)
   */
  compressor?: Compressor;
  /**
   * An encryptor applied to (compressed) values of new writes.
   * @default undefined (no encryption)
   */
  encryptor?: Encryptor;
  /**
   * The largest encoded value (serialized, compressed, encrypted) a write may store, in bytes; a
   * larger one fails with `ERR_INVALID_ARGUMENT` and nothing is written. Binaries (`bassoc`)
   * stream and are not limited.
   * @default undefined (no limit)
   */
  maxValueBytes?: number;
  /**
   * The most bytes a read may decompress one value to. Blobs written by this version record their
   * uncompressed size and a read never decompresses past it (a payload that would is `ERR_CORRUPT`,
   * found before the memory is used); this option caps that recorded size, and is the only bound
   * for compressed blobs of format version 1, which record none. A compressed write whose
   * serialized value is larger fails with `ERR_INVALID_ARGUMENT` and nothing is written.
   * @default 67108864 (64 MiB)
   */
  maxDecompressedBytes?: number;
  /**
   * For a store with an `encryptor` only: read values stored unencrypted (encryptor id 0), as when
   * encrypting an existing store; each next write of such a key encrypts it. Without this option a
   * store with an encryptor refuses them with `ERR_DECRYPT`, since anyone who can write to the
   * storage can forge an unencrypted value. Turn it off once every key has been rewritten.
   * Binaries (`bassoc`) are never encrypted and are not affected.
   * @default false
   */
  readUnencryptedForMigration?: boolean;
  /**
   * The wall clock used for `Meta.lastWrite` and for expiry (`Meta.expiresAt`, the `ttl` option),
   * in milliseconds; the Store never lets it go backwards.
   * @default () => scheduler.now() (Date.now with the default scheduler)
   */
  now?: () => number;
  /**
   * The scheduler of the timers that make `watch(key)` emit `undefined` when the watched key
   * expires. Tests pass a virtual-time scheduler (and its `now()` becomes the clock) to let keys
   * expire without waiting on the wall clock.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * An identifier of the store (konserve's store id), exposed as `Store.storeId` and by every
   * scope of the store, so code that syncs or garbage-collects several stores can tell them apart.
   * It is not stored: give the same id each time the store is opened.
   * @default undefined
   */
  storeId?: string;
}

/**
 * Every option name of {@link StoreOptions}, for `checkOptions`; a `connectXStore` includes it in
 * its own list and hands `pickOptions(options, STORE_OPTIONS)` to `createStore`.
 */
export const STORE_OPTIONS = optionNames<StoreOptions>({
  serializer: true,
  readers: true,
  compressor: true,
  encryptor: true,
  maxValueBytes: true,
  maxDecompressedBytes: true,
  readUnencryptedForMigration: true,
  now: true,
  scheduler: true,
  storeId: true,
});
