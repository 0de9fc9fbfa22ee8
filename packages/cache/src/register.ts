/**
 * The 'cached' and 'tiered' registry entries: importing the package makes
 * `connectStore({ backend: 'tiered', back: { backend: 'file', path } })` work. The wrapped layers
 * are configurations themselves, connected through the registry, so any registered backend can be
 * cached or tiered (each layer's Store is used for its backing only; the wrapper's own config
 * gives the Store options). A wrapper store exists, and is deleted, with its durable layer.
 */
import {
  invalidArgument,
  backendOptions,
  checkOptions,
  connectStore,
  createStore,
  deleteStore,
  pickOptions,
  registerBackend,
  storeExists,
  STORE_OPTIONS,
  type BackingStore,
  type StoreConfig,
} from '@konserve-rx/core';
import { EMPTY, concat, defer, map, of, switchMap, type Observable } from 'rxjs';
import { cachedBacking } from './cached-backing';
import { connectTieredStore } from './connect';
import { CACHED_BACKING_OPTIONS, CACHED_STORE_OPTIONS, type CachedStoreOptions, type TieredStoreOptions } from './options';

/** The registry name of a cached store: `{ backend: 'cached', inner: StoreConfig, maxEntries?, maxBytes? }`. */
export const CACHED_BACKEND_NAME = 'cached';
/** The registry name of a tiered store: `{ backend: 'tiered', back: StoreConfig, front?: StoreConfig, policy?, ... }`. */
export const TIERED_BACKEND_NAME = 'tiered';

registerBackend(CACHED_BACKEND_NAME, {
  connect: (config) =>
    defer(() => {
      // `inner` is a config here, not a backing: the rest are the options of connectCachedStore
      checkOptions(`connectStore '${CACHED_BACKEND_NAME}'`, backendOptions(config), CACHED_STORE_OPTIONS);
      return backingOf(layer(config, 'inner'));
    }).pipe(
      map((inner) =>
        createStore(
          cachedBacking(inner!, pickOptions(config as CachedStoreOptions, CACHED_BACKING_OPTIONS)),
          pickOptions(config as CachedStoreOptions, STORE_OPTIONS),
        ),
      ),
    ),
  exists: (config) => defer(() => storeExists(layer(config, 'inner')!)),
  delete: (config) => defer(() => deleteStore(layer(config, 'inner')!)),
});

registerBackend(TIERED_BACKEND_NAME, {
  connect: (config) =>
    defer(() => {
      const front = layer(config, 'front', false);
      return backingOf(layer(config, 'back')).pipe(
        switchMap((back) =>
          backingOf(front).pipe(
            switchMap((f) =>
              connectTieredStore({ ...(backendOptions(config) as Partial<TieredStoreOptions>), back: back!, ...(f === undefined ? {} : { front: f }) }),
            ),
          ),
        ),
      );
    }),
  exists: (config) => defer(() => storeExists(layer(config, 'back')!)),
  delete: (config) =>
    defer(() => {
      const front = layer(config, 'front', false);
      return concat(deleteStore(layer(config, 'back')!), front === undefined ? EMPTY : deleteStore(front));
    }),
});

/** The nested config in `config[field]`; `ERR_INVALID_ARGUMENT` when required and missing or malformed. */
function layer(config: StoreConfig, field: string, required = true): StoreConfig | undefined {
  const value = config[field];
  if (value === undefined && !required) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as StoreConfig).backend !== 'string') {
    throw invalidArgument(`a '${config.backend}' store config needs \`${field}\`: the config ({ backend, ... }) of that layer`);
  }
  return value as StoreConfig;
}

function backingOf(config: StoreConfig | undefined): Observable<BackingStore | undefined> {
  return config === undefined ? of(undefined) : connectStore(config).pipe(map((store) => store.backing));
}
