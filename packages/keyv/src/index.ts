/**
 * `@konserve-rx/keyv`: use any konserve-rx store as keyv storage. `konserveKeyvAdapter(store)` is
 * the adapter (pass it as keyv's `store`); `createKeyv(store, options)` builds the Keyv for you.
 */
export { konserveKeyvAdapter } from './keyv-adapter';
export type { KeyvKonserve } from './keyv-adapter';
export { createKeyv } from './create-keyv';
export { DEFAULT_COLLECTION } from './options';
export type { KeyvKonserveOptions } from './options';
