/**
 * The backend registry behind `connectStore`: importing a backend package registers its name,
 * so configuration can pick a backend by string.
 */
import { Observable, defer } from 'rxjs';
import { KonserveError } from './errors';
import type { Store } from './store';

/** A configuration naming its backend, plus that backend's options. */
export interface StoreConfig {
  /** The registered backend name, e.g. 'memory', 'file' or 'latency'. */
  backend: string;
  /** Backend-specific options. */
  [option: string]: unknown;
}

/** Connects a store of one backend from its configuration. */
export type BackendConnector = (config: StoreConfig) => Observable<Store>;

const backends = new Map<string, BackendConnector>();

/**
 * Registers a backend under `name` (backend packages call this when imported).
 * @param name - the name `connectStore` configurations use
 * @param connect - builds the store from a configuration
 * @example
 * ```ts
 * registerBackend('memory', (config) => connectMemoryStore(config));
 * ```
 */
export function registerBackend(name: string, connect: BackendConnector): void {
  backends.set(name, connect);
}

/** The names of every registered backend. */
export function registeredBackends(): string[] {
  return [...backends.keys()];
}

/**
 * Connects a store by configuration; errors with `ERR_UNKNOWN_BACKEND` naming the package to
 * import when `config.backend` is not registered.
 * @param config - `{ backend, ...options }`
 * @returns an Observable emitting the connected Store, then completing
 * @example
 * ```ts
 * import '@konserve-rx/fs';
 * connectStore({ backend: 'file', path: './data' }).subscribe((store) => ...);
 * ```
 */
export function connectStore(config: StoreConfig): Observable<Store> {
  return defer(() => {
    const connect = backends.get(config?.backend);
    if (connect === undefined) {
      const name = String(config?.backend);
      const pkg = name === 'file' ? '@konserve-rx/fs' : `@konserve-rx/${name}`;
      throw new KonserveError('ERR_UNKNOWN_BACKEND', `unknown backend '${name}': import '${pkg}' to register it`);
    }
    return connect(config);
  });
}
