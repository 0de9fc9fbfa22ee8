/**
 * The 'indexeddb' registry entry: importing the package makes
 * `connectStore({ backend: 'indexeddb', name })` work, with `storeExists` and `deleteStore`.
 */
import { backendOptions, registerBackend } from '@konserve-rx/core';
import { connectIndexedDbStore, type IndexedDbStoreOptions } from './connect';
import { deleteIndexedDbStore, indexedDbStoreExists, type IndexedDbLocation } from './lifecycle';

/** The name the IndexedDB backend registers for `connectStore({ backend: 'indexeddb' })`. */
export const INDEXEDDB_BACKEND_NAME = 'indexeddb';

registerBackend(INDEXEDDB_BACKEND_NAME, {
  connect: (config) => connectIndexedDbStore(backendOptions(config) as unknown as IndexedDbStoreOptions),
  exists: (config) => indexedDbStoreExists(config as unknown as IndexedDbLocation),
  delete: (config) => deleteIndexedDbStore(config as unknown as IndexedDbLocation),
});
