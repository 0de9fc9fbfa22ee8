/** What an app bundles for the browser: core, memory and indexeddb, as published (dist, package conditions). */
export { connectStore, createStore } from '@konserve-rx/core';
export { connectMemoryStore } from '@konserve-rx/memory';
export { connectIndexedDbStore } from '@konserve-rx/indexeddb';
