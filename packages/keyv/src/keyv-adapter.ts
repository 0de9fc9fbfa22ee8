/** The keyv storage adapter over any konserve-rx Store. */
import { EventEmitter } from 'node:events';
import { lastValueFrom, toArray, filter, map } from 'rxjs';
import { checkOptions, type Key, type Store } from '@konserve-rx/core';
import type { KeyvStoreAdapter } from 'keyv';
import { isLive, liveValue, ttlOptions } from './internal/envelope';
import { DEFAULT_COLLECTION, KEYV_KONSERVE_OPTIONS, type KeyvKonserveOptions } from './options';

/** How many keys one `multiDissoc` of `clear()` removes at once. */
const CLEAR_BATCH = 256;

/** A keyv storage adapter backed by a konserve-rx Store; an EventEmitter like every keyv adapter. */
export interface KeyvKonserve extends KeyvStoreAdapter {
  /** Adds an event listener (keyv listens for `'error'`). */
  on(event: string, listener: (...args: unknown[]) => void): this;
  /** Emits an event to the listeners added with `on`. */
  emit(event: string, ...args: unknown[]): boolean;
  /** The adapter's settings, as keyv expects on `opts` (`dialect: 'konserve-rx'`). */
  opts: { dialect: 'konserve-rx'; url: string; collection: string; [option: string]: unknown };
  /** The namespace keyv assigned (keys arrive prefixed with it); `clear()` and `iterator()` stay inside it. */
  namespace?: string | undefined;
  /** The Store holding the data. */
  readonly store: Store;
  /** The value of `key`, or `undefined` when missing or expired. */
  get<Value>(key: string): Promise<Value | undefined>;
  /** Stores `value` under `key`, expiring after `ttl` ms when given; resolves `true`. */
  set(key: string, value: unknown, ttl?: number): Promise<boolean>;
  /** Stores the entries with one `multiAssoc` per run of equal `ttl`s (each atomic where the backing is). */
  setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void>;
  /** Removes `key`; resolves whether it existed. */
  delete(key: string): Promise<boolean>;
  /** Removes every key; resolves whether all of them existed (keyv's `deleteMany` contract). */
  deleteMany(keys: string[]): Promise<boolean>;
  /** Removes every key of this collection in the current namespace (all of the collection without one). */
  clear(): Promise<void>;
  /** Whether `key` holds a live (unexpired) value. */
  has(key: string): Promise<boolean>;
  /** Whether each key holds a live value, in order. */
  hasMany(keys: string[]): Promise<boolean[]>;
  /** The values of `keys` in order, `undefined` for missing or expired ones, from one `multiGet`. */
  getMany<Value>(keys: string[]): Promise<Array<Value | undefined>>;
  /** Yields `[key, value]` for each live key of the namespace (keys as keyv wrote them, prefixed). */
  iterator<Value>(namespace?: string): AsyncGenerator<[string, Value], void>;
  /** Closes the store (unless `closeOnDisconnect: false`). */
  disconnect(): Promise<void>;
}

/**
 * Makes a keyv storage adapter over a konserve-rx Store, so keyv users can keep their data in
 * any konserve-rx backend (memory, files, Redis, ...). keyv key `k` is stored under the konserve
 * key `[collection, k]` as `{ value }`, keyv's `ttl` becoming the Store's own expiry
 * (`Meta.expiresAt`, decided by the Store's clock): an expired entry is missing for the Store and
 * for keyv alike, `sweep(store, { expired: true })` reclaims it, and Redis drops it natively.
 * Entries written by earlier versions (`{ value, expires }`) still read, expiring by `options.now`. Every call returns a Promise that rejects with the Store's `KonserveError`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param store - the Store to keep the data in
 * @param options - the collection name, whether `disconnect` closes the store, and the clock
 * @returns the adapter, to pass as keyv's `store`
 * @example
 * ```ts
 * const store = await firstValueFrom(connectFileStore({ path: './cache' }));
 * const keyv = new Keyv({ store: konserveKeyvAdapter(store), namespace: 'sessions' });
 * await keyv.set('user:1', { name: 'Ada' }, 60_000);
 * ```
 */
export function konserveKeyvAdapter(store: Store, options: KeyvKonserveOptions = {}): KeyvKonserve {
  checkOptions('konserveKeyvAdapter', options, KEYV_KONSERVE_OPTIONS);
  const collection = options.collection ?? DEFAULT_COLLECTION;
  const now = options.now ?? (() => Date.now());
  const closeOnDisconnect = options.closeOnDisconnect ?? true;
  const k = (key: string): Key => [collection, key];
  const inNamespace =
    (namespace: string | undefined) =>
    (key: Key): key is [string, string] =>
      Array.isArray(key) &&
      key.length === 2 &&
      key[0] === collection &&
      typeof key[1] === 'string' &&
      (namespace === undefined || key[1].startsWith(`${namespace}:`));
  const ownKeys = (namespace: string | undefined): Promise<Array<[string, string]>> =>
    lastValueFrom(
      store.keys().pipe(
        map((meta) => meta.key),
        filter(inNamespace(namespace)),
        toArray(),
      ),
    );

  const adapter = new EventEmitter() as unknown as KeyvKonserve;
  Object.assign(adapter, {
    opts: { dialect: 'konserve-rx', url: `konserve-rx:${collection}`, collection },
    store,
    get: async (key: string) => liveValue(await lastValueFrom(store.get(k(key))), now),
    set: async (key: string, value: unknown, ttl?: number) => {
      await lastValueFrom(store.assoc(k(key), { value }, ttlOptions(ttl)));
      return true;
    },
    setMany: async (entries: Array<{ key: string; value: unknown; ttl?: number }>) => {
      // one multiAssoc per distinct ttl (keyv's setMany usually gives all the same one), in order
      for (const group of byTtl(entries)) {
        await lastValueFrom(
          store.multiAssoc(
            group.entries.map((e) => [k(e.key), { value: e.value }] as const),
            ttlOptions(group.ttl),
          ),
        );
      }
    },
    delete: (key: string) => lastValueFrom(store.dissoc(k(key))),
    deleteMany: async (keys: string[]) => {
      if (keys.length === 0) return false;
      const existed = await lastValueFrom(store.multiDissoc(keys.map(k)));
      return [...existed.values()].every(Boolean);
    },
    clear: async () => {
      const keys = await ownKeys(adapter.namespace);
      for (let i = 0; i < keys.length; i += CLEAR_BATCH) await lastValueFrom(store.multiDissoc(keys.slice(i, i + CLEAR_BATCH)));
    },
    has: async (key: string) => isLive(await lastValueFrom(store.get(k(key))), now),
    hasMany: async (keys: string[]) => {
      const found = await manyOf(store, keys.map(k));
      return found.map((stored) => isLive(stored, now));
    },
    getMany: async (keys: string[]) => (await manyOf(store, keys.map(k))).map((stored) => liveValue(stored, now)),
    iterator: async function* (namespace?: string) {
      for (const key of await ownKeys(namespace ?? adapter.namespace)) {
        const stored = await lastValueFrom(store.get(key));
        if (isLive(stored, now)) yield [key[1], liveValue(stored, now)];
      }
    },
    disconnect: async () => {
      if (closeOnDisconnect) await lastValueFrom(store.close());
    },
  });
  return adapter;
}

/** Consecutive runs of entries with the same effective ttl (`undefined`: none), in order. */
function byTtl<E extends { ttl?: number }>(entries: readonly E[]): Array<{ ttl: number | undefined; entries: E[] }> {
  const groups: Array<{ ttl: number | undefined; entries: E[] }> = [];
  for (const entry of entries) {
    const ttl = ttlOptions(entry.ttl)?.ttl;
    const last = groups[groups.length - 1];
    if (last !== undefined && last.ttl === ttl) last.entries.push(entry);
    else groups.push({ ttl, entries: [entry] });
  }
  return groups;
}

/** The stored entries of `keys` in order (`undefined` for missing ones), from one multiGet. */
async function manyOf(store: Store, keys: Key[]): Promise<unknown[]> {
  if (keys.length === 0) return [];
  const found = await lastValueFrom(store.multiGet(keys));
  // multiGet's Map is keyed by the key objects we passed, so each lookup is by identity
  return keys.map((key) => found.get(key));
}
