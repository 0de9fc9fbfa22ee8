/** `connectMemoryStore` and the 'memory' registry entry. */
import { Observable, defer, of } from 'rxjs';
import {
  backendOptions,
  checkOptions,
  createStore,
  optionNames,
  pickOptions,
  registerBackend,
  STORE_OPTIONS,
  type Store,
  type StoreConfig,
  type StoreOptions,
} from '@konserve-rx/core';
import { MEMORY_BACKING_OPTIONS, memoryBacking, type MemoryBackingOptions } from './memory-backing';

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
  return new Observable<Store<V>>((subscriber) => {
    checkOptions('connectMemoryStore', options, MEMORY_STORE_OPTIONS);
    subscriber.next(createStore<V>(memoryBacking(pickOptions(options, MEMORY_BACKING_OPTIONS)), pickOptions(options, STORE_OPTIONS)));
    subscriber.complete();
  });
}

/**
 * Named memory stores of the registry: `connectStore({ backend: 'memory', id })` shares one Map per
 * id within the process, so `storeExists`/`deleteStore` can see it (until deleted). A config with
 * its own `map` exists when that Map holds blobs; without `id` or `map`, every connection is a fresh
 * store that never "exists" before it is connected.
 */
const named = new Map<string, Map<string, Uint8Array>>();

/** The options of `connectMemoryStore` in a registry config: all but the registry's `backend` and memory's `id`. */
function optionsOf(config: StoreConfig): MemoryStoreOptions {
  const { id: _id, ...options } = backendOptions(config);
  return options as MemoryStoreOptions;
}

function mapOf(config: StoreConfig, create: boolean): Map<string, Uint8Array> | undefined {
  if (config.map instanceof Map) return config.map as Map<string, Uint8Array>;
  if (config.id === undefined) return create ? new Map() : undefined;
  const id = String(config.id);
  let map = named.get(id);
  if (map === undefined && create) named.set(id, (map = new Map()));
  return map;
}

registerBackend(MEMORY_BACKEND_NAME, {
  connect: (config) => defer(() => connectMemoryStore({ ...optionsOf(config), map: mapOf(config, true)! })),
  exists: (config) => defer(() => of(config.map instanceof Map ? config.map.size > 0 : mapOf(config, false) !== undefined)),
  delete: (config) =>
    defer(() => {
      mapOf(config, false)?.clear();
      if (config.id !== undefined) named.delete(String(config.id));
      return of(undefined);
    }),
});
