/** @konserve-rx/memory: the in-memory backend. */
import './register';
export { memoryBacking } from './memory-backing';
export type { MemoryBackingOptions } from './memory-backing';
export { connectMemoryStore, MEMORY_BACKEND_NAME } from './connect';
export type { MemoryStoreOptions } from './connect';
