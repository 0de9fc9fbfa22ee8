/** `connectMemoryStore`: an in-memory Store. */
import type { Observable } from 'rxjs';
import { connectBacking, optionNames, pickOptions, STORE_OPTIONS, type Store, type StoreOptions } from '@konserve-rx/core';
import { memoryBacking } from './memory-backing';
import { MEMORY_BACKING_OPTIONS, type MemoryBackingOptions } from './options';

/** The name the memory backend registers for `connectStore({ backend: 'memory' })`. */
export const MEMORY_BACKEND_NAME = 'memory';

/** Options of {@link connectMemoryStore}: the backing's and the Store's. */
export interface MemoryStoreOptions extends MemoryBackingOptions, StoreOptions {}

const MEMORY_STORE_OPTIONS = optionNames<object>({}, MEMORY_BACKING_OPTIONS, STORE_OPTIONS);

/**
 * Connects an in-memory store; emits it synchronously on subscribe, then completes.
 * @param options - backing and store options
 * @returns an Observable of the Store; it errors with `ERR_INVALID_ARGUMENT` for an unknown option
 * @example
 * ```ts
 * connectMemoryStore().pipe(switchMap((store) => store.assoc('k', 1))).subscribe();
 * ```
 */
export function connectMemoryStore<V = unknown>(options: MemoryStoreOptions = {}): Observable<Store<V>> {
  return connectBacking<V>('connectMemoryStore', options, MEMORY_STORE_OPTIONS, () => memoryBacking(pickOptions(options, MEMORY_BACKING_OPTIONS)));
}
