/**
 * The Promise facade: the same Store for code that does not live in RxJS. Single results become
 * Promises, streams become AsyncIterables; errors are the same `KonserveError`s, as rejections.
 */
import { lastValueFrom, type ObservableInput } from 'rxjs';
import type {
  AppendLogHead,
  AssocOptions,
  BinaryBlob,
  BinaryInput,
  Change,
  Key,
  KeysOptions,
  Meta,
  MultiAssocOptions,
  MultiEntries,
  Store,
  UpdateOptions,
  UpdateSpec,
  WriteEvent,
} from '../store-api';
import type { Declared, DeclaredLogElement, LogElement, PathValue, ReduceFn, StoreKey, StorePath, StoreValue, UpdateFn } from '../schema';
import { eachValueOf } from './each-value-of';

/**
 * A {@link Store} seen through Promises and AsyncIterables, made by {@link toAsync}. Every method
 * has the meaning of the Store method of the same name; typing follows the store's declaration.
 */
export interface AsyncStore<V = unknown> {
  /** The Observable store underneath, for pipelines. */
  readonly store: Store<V>;
  /** Resolves to whether `key` holds anything. */
  exists(key: StoreKey<V>): Promise<boolean>;
  /** Resolves to the value of `key`, or `notFound` (default `undefined`) when missing. */
  get<K extends StoreKey<V>>(key: K): Promise<StoreValue<V, K> | undefined>;
  get<K extends StoreKey<V>, D>(key: K, notFound: D): Promise<StoreValue<V, K> | D>;
  /** Resolves to the value at `path`, or `notFound` when any step is missing. */
  getIn<const P extends StorePath<V>>(path: P): Promise<PathValue<V, P> | undefined>;
  getIn<const P extends StorePath<V>, D>(path: P, notFound: D): Promise<PathValue<V, P> | D>;
  /** Resolves to the key's metadata, or `undefined` when missing. */
  getMeta(key: StoreKey<V>): Promise<Meta | undefined>;
  /** Stores `value` under `key`; resolves to the new `Meta`. */
  assoc<K extends StoreKey<V>>(key: K, value: StoreValue<V, K>, options?: AssocOptions): Promise<Meta>;
  /** Sets the value at `path`; resolves to the top-level `{ old, new }`. */
  assocIn<const P extends StorePath<V>>(path: P, value: PathValue<V, P>, options?: UpdateOptions): Promise<Change<StoreValue<V, P[0]>>>;
  /** Atomically replaces the value with `fn(old, ...args)` (`fn` is synchronous); resolves to `{ old, new }`. */
  update<K extends StoreKey<V>, T = StoreValue<V, K>, A extends unknown[] = []>(
    key: K,
    fn: UpdateFn<Declared<StoreValue<V, K>, T>, A> | UpdateSpec<Declared<StoreValue<V, K>, T>, A>,
    ...args: A
  ): Promise<Change<Declared<StoreValue<V, K>, T>>>;
  /** Atomically replaces the value at `path`; resolves to `{ old, new }` at the path. */
  updateIn<const P extends StorePath<V>, T = PathValue<V, P>, A extends unknown[] = []>(
    path: P,
    fn: UpdateFn<Declared<PathValue<V, P>, T>, A> | UpdateSpec<Declared<PathValue<V, P>, T>, A>,
    ...args: A
  ): Promise<Change<Declared<PathValue<V, P>, T>>>;
  /** Removes `key`; resolves to `true` if it existed. */
  dissoc(key: StoreKey<V>): Promise<boolean>;
  /** Stores binary data under `key`; resolves to the new `Meta`. */
  bassoc(key: StoreKey<V>, data: BinaryInput, options?: AssocOptions): Promise<Meta>;
  /** Runs `read` on the stored binary inside the key's lock; resolves to its result, or `undefined` when missing. */
  bget<R>(key: StoreKey<V>, read: (blob: BinaryBlob) => ObservableInput<R>): Promise<R | undefined>;
  /** One `Meta` per stored key, read as the loop asks for them; damaged entries as `keys(options)` says. */
  keys(options?: KeysOptions): AsyncIterable<Meta>;
  /** Removes every key; resolves to how many it removed. */
  clear(): Promise<number>;
  /** Resolves to how many keys the store holds (reads none of them). */
  count(): Promise<number>;
  /** Resolves to a `Map` of the found keys to their values. */
  multiGet<K extends StoreKey<V>>(keys: Iterable<K>): Promise<Map<K, StoreValue<V, K>>>;
  /** Stores every entry in order; resolves to a `Map` of keys to `true`. */
  multiAssoc(entries: MultiEntries<V>, options?: MultiAssocOptions): Promise<Map<Key, true>>;
  /** Removes every key; resolves to a `Map` of keys to whether each existed. */
  multiDissoc<K extends StoreKey<V>>(keys: Iterable<K>): Promise<Map<K, boolean>>;
  /** Appends `elem` to the log under `key`; resolves to `{ old, new }` of the log head. */
  append<K extends StoreKey<V>>(key: K, elem: LogElement<V, K>): Promise<Change<AppendLogHead>>;
  /** Each element of the log under `key`, in order. */
  log<K extends StoreKey<V>>(key: K): AsyncIterable<LogElement<V, K>>;
  /** Resolves to `fn` folded over the log's elements from `seed`. */
  reduceLog<K extends StoreKey<V>, R, E = LogElement<V, K>>(key: K, fn: ReduceFn<R, Declared<LogElement<V, K>, E>>, seed: R): Promise<R>;
  /** Every committed write from the moment the loop starts; ends when the store closes or the loop breaks. */
  changes(): AsyncIterable<WriteEvent<StoreValue<V> | DeclaredLogElement<V>>>;
  /** The current value of `key`, then its value after each committed write; ends when the store closes. */
  watch<K extends StoreKey<V>>(key: K): AsyncIterable<StoreValue<V, K> | undefined>;
  /** The scope `name` of this store (see `Store.scope`), through Promises too. */
  scope(name: string): AsyncStore<V>;
  /** Waits for running operations and closes the store. */
  close(): Promise<void>;
}

/**
 * Wraps a Store in Promises and AsyncIterables, for code that does not use RxJS. Nothing is
 * copied: each call subscribes to the Store method of the same name, so locking, isolation and
 * errors are exactly the Store's (a failure rejects with the same `KonserveError`).
 * @param store - any Store
 * @returns the {@link AsyncStore} over it
 * @example
 * ```ts
 * const store = toAsync(await firstValueFrom(connectMemoryStore()));
 * await store.assoc('user/1', { name: 'Ada' });
 * const { new: visits } = await store.update('visits', (n: number | undefined) => (n ?? 0) + 1);
 * for await (const meta of store.keys()) console.log(meta.key);
 * ```
 */
export function toAsync<V>(store: Store<V>): AsyncStore<V> {
  // every single-result method emits exactly once, so its last value is its result
  const s = store as Store;
  const one = <T>(source: ObservableInput<T>): Promise<T> => lastValueFrom(source as never) as Promise<T>;
  const facade: AsyncStore = {
    store: s,
    exists: (key) => one(s.exists(key)),
    get: (key: Key, notFound?: unknown) => one(s.get(key, notFound)),
    getIn: (path: readonly [Key, ...(string | number)[]], notFound?: unknown) => one(s.getIn(path, notFound)),
    getMeta: (key) => one(s.getMeta(key)),
    assoc: (key, value, options) => one(s.assoc(key, value, options)),
    assocIn: (path, value, options) => one(s.assocIn(path, value, options)),
    update: (key, fn, ...args) => one(s.update(key, fn, ...args)),
    updateIn: (path, fn, ...args) => one(s.updateIn(path, fn, ...args)),
    dissoc: (key) => one(s.dissoc(key)),
    bassoc: (key, data, options) => one(s.bassoc(key, data, options)),
    bget: (key, read) => one(s.bget(key, read)),
    keys: (options) => eachValueOf(s.keys(options)),
    clear: () => one(s.clear()),
    count: () => one(s.count()),
    multiGet: (keys) => one(s.multiGet(keys)),
    multiAssoc: (entries, options) => one(s.multiAssoc(entries, options)),
    multiDissoc: (keys) => one(s.multiDissoc(keys)),
    append: (key, elem) => one(s.append(key, elem)),
    log: (key) => eachValueOf(s.log(key)),
    reduceLog: (key, fn, seed) => one(s.reduceLog(key, fn, seed)),
    changes: () => eachValueOf(s.changes()),
    watch: (key) => eachValueOf(s.watch(key)),
    scope: (name) => toAsync(s.scope(name)),
    close: () => one(s.close()),
  } as AsyncStore;
  return facade as unknown as AsyncStore<V>;
}
