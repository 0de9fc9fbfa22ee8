/** @konserve-rx/memory: the in-memory backend. */
import './register';
export { memoryBacking } from './memory-backing';
export type { MemoryBackingOptions } from './options';
export { connectMemoryStore, MEMORY_BACKEND_NAME } from './connect';
export type { MemoryStoreOptions } from './connect';
