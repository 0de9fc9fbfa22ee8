/** The 'memory' entry of core's backend registry: importing the package registers it. */
import { backendOptions, registerBackend, type StoreConfig } from '@konserve-rx/core';
import { defer, of } from 'rxjs';
import { connectMemoryStore, MEMORY_BACKEND_NAME, type MemoryStoreOptions } from './connect';

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
