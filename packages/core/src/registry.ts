/**
 * The backend registry behind `connectStore` and the other store-lifecycle functions: importing
 * a backend package registers its name with a descriptor of lifecycle hooks, so configuration
 * can pick a backend by string. See docs/lifecycle.md.
 */
import { Observable, defaultIfEmpty, defer, endWith, from, ignoreElements, map, switchMap, take, type ObservableInput } from 'rxjs';
import { KonserveError, invalidArgument } from './errors';
import { checkOptions, optionNames } from './internal/check-options';
import type { Store } from './store-api';

/** A configuration naming its backend, plus that backend's options. */
export interface StoreConfig {
  /** The registered backend name, e.g. 'memory', 'file' or 'latency'. */
  backend: string;
  /** Backend-specific options. */
  [option: string]: unknown;
}

/** Connects a store of one backend from its configuration, creating it when missing. */
export type BackendConnector = (config: StoreConfig) => Observable<Store>;

/**
 * What a backend registers: how to connect, plus optional lifecycle hooks. A hook a backend
 * leaves out makes the functions that need it fail with `ERR_INVALID_ARGUMENT`, naming the hook.
 */
export interface BackendDescriptor {
  /** Opens the store the configuration names, creating it when missing; emits it once. */
  connect: BackendConnector;
  /** Emits whether the store the configuration names exists (has been created and not deleted). */
  exists?: (config: StoreConfig) => ObservableInput<boolean>;
  /**
   * Creates the store (known not to exist) and opens it; emits it once.
   * @default `connect`
   */
  create?: BackendConnector;
  /** Deletes the store with all its data; completes also when it never existed. The store must be released first. */
  delete?: (config: StoreConfig) => ObservableInput<unknown>;
  /**
   * Releases a store connected from `config` without deleting any data.
   * @default `store.close()`
   */
  release?: (store: Store, config: StoreConfig) => ObservableInput<unknown>;
}

/**
 * How `connectStore` treats an existing or missing store: `'open'` fails unless it exists,
 * `'create'` fails if it exists, `'open-or-create'` accepts both.
 */
export type ConnectMode = 'open' | 'create' | 'open-or-create';

/** Options of {@link connectStore}. */
export interface ConnectOptions {
  /**
   * Whether the store must already exist (`'open'`), must not exist yet (`'create'`), or either.
   * The strict modes need the backend's `exists` hook and fail with `ERR_INVALID_ARGUMENT` when
   * the store is missing (`'open'`) or already there (`'create'`).
   * @default 'open-or-create'
   */
  mode?: ConnectMode;
}

const backends = new Map<string, BackendDescriptor>();
const connected = new WeakMap<Store, { descriptor: BackendDescriptor; config: StoreConfig }>();
/**
 * The backend names the konserve-rx packages register, and the package that registers each: what
 * an unknown-backend error tells the user to import. packaging/test/backends.test.ts imports every
 * published package and checks that this is exactly what they register, so it cannot drift.
 */
export const BACKEND_PACKAGES: Readonly<Record<string, string>> = {
  memory: '@konserve-rx/memory',
  file: '@konserve-rx/fs',
  latency: '@konserve-rx/latency',
  cached: '@konserve-rx/cache',
  tiered: '@konserve-rx/cache',
  redis: '@konserve-rx/redis',
  postgres: '@konserve-rx/postgres',
  indexeddb: '@konserve-rx/indexeddb',
  faulty: '@konserve-rx/faults',
};
const MODES: readonly ConnectMode[] = ['open', 'create', 'open-or-create'];
const CONNECT_OPTIONS = optionNames<ConnectOptions>({ mode: true });

/**
 * Registers a backend under `name` (backend packages call this when imported); a later
 * registration of the same name replaces the earlier one.
 * @param name - the name configurations use in `backend`
 * @param backend - a connector function, or a {@link BackendDescriptor} with lifecycle hooks
 * @example
 * ```ts
 * registerBackend('memory', {
 *   connect: (config) => connectMemoryStore(config),
 *   exists: (config) => of(named.has(String(config.id))),
 *   delete: (config) => of(void named.delete(String(config.id))),
 * });
 * ```
 */
export function registerBackend(name: string, backend: BackendConnector | BackendDescriptor): void {
  if (typeof name !== 'string' || name === '') throw invalidArgument('registerBackend needs a non-empty name');
  const descriptor = typeof backend === 'function' ? { connect: backend } : backend;
  if (typeof descriptor?.connect !== 'function') throw invalidArgument(`backend '${name}' must be a function or have a connect function`);
  backends.set(name, descriptor);
}

/**
 * Lists the registered backend names.
 * @returns the names of every registered backend, in registration order
 */
export function registeredBackends(): string[] {
  return [...backends.keys()];
}

/**
 * Connects a store by configuration, dispatching on `config.backend`.
 * @param config - `{ backend, ...options }`
 * @param options - `mode`: whether the store must exist, must not exist, or either
 * @returns a cold Observable emitting the connected Store once, then completing; errors with
 * `ERR_UNKNOWN_BACKEND` naming the package to import when the backend is not registered, and
 * with `ERR_INVALID_ARGUMENT` for a malformed config or a failed `mode` check
 * @example
 * ```ts
 * import '@konserve-rx/fs';
 * connectStore({ backend: 'file', path: './data' }, { mode: 'create' }).subscribe((store) => ...);
 * ```
 */
export function connectStore(config: StoreConfig, options: ConnectOptions = {}): Observable<Store> {
  return defer(() => {
    checkOptions('connectStore', options, CONNECT_OPTIONS);
    const mode = options?.mode ?? 'open-or-create';
    if (!MODES.includes(mode)) throw invalidArgument(`connectStore mode must be one of ${MODES.join(', ')}, got ${String(mode)}`);
    const descriptor = lookup(config);
    const open = (connect: BackendConnector): Observable<Store> =>
      from(connect(config)).pipe(map((store) => (connected.set(store, { descriptor, config }), store)));
    if (mode === 'open-or-create') return open(descriptor.connect);
    return from(hook(descriptor, config, 'exists', `connectStore mode '${mode}'`)(config)).pipe(
      take(1),
      defaultIfEmpty(false),
      map((exists) => {
        if (mode === 'open' && !exists) throw invalidArgument(`cannot open the ${describe(config)}: it does not exist`);
        if (mode === 'create' && exists) throw invalidArgument(`cannot create the ${describe(config)}: it already exists`);
        return exists;
      }),
      switchMap((exists) => open(exists ? descriptor.connect : (descriptor.create ?? descriptor.connect))),
    );
  });
}

/**
 * Tells whether the store a configuration names exists.
 * @param config - `{ backend, ...options }`
 * @returns a cold Observable emitting `true` or `false` once, then completing; errors with
 * `ERR_UNKNOWN_BACKEND` like {@link connectStore}, and with `ERR_INVALID_ARGUMENT` when the
 * backend has no `exists` hook
 * @example
 * ```ts
 * storeExists({ backend: 'file', path: './data' }).subscribe((exists) => console.log(exists));
 * ```
 */
export function storeExists(config: StoreConfig): Observable<boolean> {
  return defer(() => hook(lookup(config), config, 'exists', 'storeExists')(config)).pipe(
    take(1),
    defaultIfEmpty(false),
    map((exists) => exists === true),
  );
}

/**
 * Deletes the store a configuration names, with all its data. Release the store first.
 * @param config - `{ backend, ...options }`
 * @returns a cold Observable emitting `undefined` once the store is gone (also when it never
 * existed), then completing; errors with `ERR_INVALID_ARGUMENT` when the backend has no `delete` hook
 * @example
 * ```ts
 * deleteStore({ backend: 'file', path: './data' }).subscribe();
 * ```
 */
export function deleteStore(config: StoreConfig): Observable<void> {
  return defer(() => lastOf(hook(lookup(config), config, 'delete', 'deleteStore')(config)));
}

/**
 * Releases a store's resources without deleting its data: the backend's `release` hook for a
 * store connected by {@link connectStore}, `store.close()` otherwise.
 * @param store - a connected store
 * @returns a cold Observable emitting `undefined` once released, then completing
 * @example
 * ```ts
 * releaseStore(store).subscribe();
 * ```
 */
export function releaseStore(store: Store): Observable<void> {
  return defer(() => {
    const origin = connected.get(store);
    if (origin?.descriptor.release === undefined) return lastOf(store.close());
    return lastOf(origin.descriptor.release(store, origin.config));
  });
}

/**
 * The backend options of a store config: everything but its `backend` name. What a registered
 * `connect` hands to its `connectXStore`, whose option check would refuse `backend`.
 * @param config - the config given to `connectStore`
 * @returns a new object without `backend`
 * @example
 * ```ts
 * registerBackend('file', { connect: (config) => connectFileStore(backendOptions(config) as FileStoreOptions) });
 * ```
 */
export function backendOptions(config: StoreConfig): Record<string, unknown> {
  const { backend: _backend, ...options } = config;
  return options;
}

function lookup(config: StoreConfig): BackendDescriptor {
  if (config === null || typeof config !== 'object') throw invalidArgument('a store config must be an object with a `backend` name');
  if (typeof config.backend !== 'string') throw invalidArgument('a store config needs a `backend` name (a string)');
  const descriptor = backends.get(config.backend);
  if (descriptor !== undefined) return descriptor;
  const name = config.backend;
  const pkg = Object.hasOwn(BACKEND_PACKAGES, name) ? BACKEND_PACKAGES[name] : undefined;
  if (pkg !== undefined) throw new KonserveError('ERR_UNKNOWN_BACKEND', `unknown backend '${name}': import '${pkg}' to register it`);
  const registered = [...backends.keys()].join(', ') || 'none';
  throw new KonserveError(
    'ERR_UNKNOWN_BACKEND',
    `unknown backend '${name}': no konserve-rx package provides it (registered now: ${registered}); a backend package registers its name when it is imported`,
  );
}

function hook<H extends 'exists' | 'delete'>(descriptor: BackendDescriptor, config: StoreConfig, name: H, caller: string): NonNullable<BackendDescriptor[H]> {
  const fn = descriptor[name];
  if (fn === undefined) throw invalidArgument(`${caller} needs the '${name}' hook, which backend '${config.backend}' does not register`);
  return fn as NonNullable<BackendDescriptor[H]>;
}

function describe(config: StoreConfig): string {
  const where = ['path', 'id', 'name', 'url'].map((f) => config[f]).find((v) => typeof v === 'string' || typeof v === 'number');
  return `'${config.backend}' store${where === undefined ? '' : ` ${JSON.stringify(where)}`}`;
}

function lastOf(input: ObservableInput<unknown>): Observable<void> {
  return from(input).pipe(ignoreElements(), endWith(undefined));
}
