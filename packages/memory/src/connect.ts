/** `connectMemoryStore` and the 'memory' registry entry. */
import { Observable } from 'rxjs';
import { createStore, registerBackend, type Store, type StoreOptions } from '@konserve-rx/core';
import { memoryBacking, type MemoryBackingOptions } from './memory-backing';

/** The name the memory backend registers for `connectStore({ backend: 'memory' })`. */
export const MEMORY_BACKEND_NAME = 'memory';

/** Options of {@link connectMemoryStore}: the backing's and the Store's. */
export interface MemoryStoreOptions extends MemoryBackingOptions, StoreOptions {}

/**
 * Connects an in-memory store; emits it synchronously on subscribe, then completes.
 * @param options - backing and store options
 * @returns an Observable of the Store
 * @example
 * ```ts
 * connectMemoryStore().pipe(switchMap((store) => store.assoc('k', 1))).subscribe();
 * ```
 */
export function connectMemoryStore<V = unknown>(options: MemoryStoreOptions = {}): Observable<Store<V>> {
  return new Observable<Store<V>>((subscriber) => {
    subscriber.next(createStore<V>(memoryBacking(options), options));
    subscriber.complete();
  });
}

registerBackend(MEMORY_BACKEND_NAME, (config) => connectMemoryStore(config as MemoryStoreOptions));

