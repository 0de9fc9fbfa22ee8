/** Options of the keyv adapter. */
import { optionNames } from '@konserve-rx/core';

/** Options of `konserveKeyvAdapter` and `createKeyv`. */
export interface KeyvKonserveOptions {
  /**
   * The first element of every konserve key the adapter writes: keyv key `k` is stored under the
   * konserve key `[collection, k]`, so keyv data can share a store with other data, and `clear()`
   * only ever removes keys of this collection (and of keyv's current namespace).
   * @default 'keyv'
   */
  collection?: string;
  /**
   * Close the konserve store when keyv calls `disconnect()`. Turn it off when the store is shared
   * with other code that outlives the keyv instance.
   * @default true
   */
  closeOnDisconnect?: boolean;
  /**
   * The clock that decides expiry of entries written by earlier versions of the adapter
   * (`{ value, expires }`), in milliseconds. Entries written now expire by the Store's own clock
   * (`StoreOptions.now` / `scheduler`).
   * @default () => Date.now()
   */
  now?: () => number;
}

/** Default of {@link KeyvKonserveOptions.collection}. */
export const DEFAULT_COLLECTION = 'keyv';

/** Every option name of {@link KeyvKonserveOptions}. */
export const KEYV_KONSERVE_OPTIONS = optionNames<KeyvKonserveOptions>({ collection: true, closeOnDisconnect: true, now: true });
