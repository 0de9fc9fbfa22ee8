/** @konserve-rx/indexeddb: the IndexedDB backend for browsers, shared by every tab of an origin, with cross-tab change streams. */
export { indexedDbBacking } from './indexeddb-backing';
export type { IndexedDbBacking } from './indexeddb-backing';
export type { IndexedDbBackingOptions } from './options';
export { connectIndexedDbStore } from './connect';
export type { IndexedDbStoreOptions } from './connect';
export { deleteIndexedDbStore, indexedDbStoreExists } from './lifecycle';
export type { IndexedDbLocation } from './lifecycle';
export { INDEXEDDB_BACKEND_NAME } from './register';
