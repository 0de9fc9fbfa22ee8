/**
 * The user-facing contract: the `Store` every backend presents, and the types of its
 * arguments and results. Every operation returns a cold Observable.
 */
import type { Observable, ObservableInput } from 'rxjs';
import type { BackingStore } from './backing';
import type { KonserveError } from './errors';
import type { AppendLogHead, Key, Meta, Path, UserMeta, WriteOp } from './model';
import type { Declared, DeclaredLogElement, LogElement, PathValue, ReduceFn, Schema, StoreKey, StorePath, StoreValue, UpdateFn } from './schema';

export type { AppendLogHead, BlobType, Key, Meta, Path, UserMeta, WriteOp } from './model';

/** One committed write, as emitted by `changes()`. */
export interface WriteEvent<V = unknown> {
  /** The API call that made the write. */
  op: WriteOp;
  /** The top-level key written. */
  key: Key;
  /** The path written, for `assocIn` and `updateIn`. */
  path?: Path;
  /** The new top-level value (absent for `dissoc`, `multiDissoc` and `bassoc`; the new element for `append`). */
  value?: V;
  /** The previous top-level value, for `update`, `updateIn` and `assocIn`. */
  old?: V;
  /** The key's metadata after the write (for deletes: the metadata it had, with the time of deletion). */
  meta: Meta;
}

/** The result of `update`, `updateIn`, `assocIn` and `append`: the value before and after. */
export interface Change<V = unknown> {
  /** The value before the write (`undefined` when missing). */
  old: V | undefined;
  /** The value after the write. */
  new: V;
}

/** Options of `assoc` and `bassoc`. */
export interface AssocOptions {
  /** User metadata merged into the key's `Meta`; built fields (`key`, `type`, `lastWrite`, `expiresAt`) win. */
  meta?: UserMeta;
  /**
   * Time to live in milliseconds: the key expires `ttl` ms after this write (`Meta.expiresAt`) and
   * is then missing everywhere. A positive, finite number (else `ERR_INVALID_ARGUMENT`).
   * @default undefined (the key never expires; a write without `ttl` clears an earlier expiry)
   */
  ttl?: number;
}

/**
 * konserve's meta-up-fn: given the key's Meta before the write (`undefined` when the key is
 * missing), returns the user metadata the key has after it (`undefined` for none). Built fields
 * (`key`, `type`, `lastWrite`) win over what it returns. Runs under the key's lock, synchronously.
 */
export type MetaFn = (old: Meta | undefined) => UserMeta | undefined;

/**
 * Options of `update`, `updateIn` and `assocIn`, the writes that change a stored value: given to
 * `update`/`updateIn` in an {@link UpdateSpec} beside the function, to `assocIn` after the value.
 */
export interface UpdateOptions {
  /**
   * Computes the key's new user metadata from its old Meta (konserve's meta-up-fn).
   * @default the old user metadata is kept
   */
  meta?: MetaFn;
  /**
   * Time to live in milliseconds from this write, as for `assoc`.
   * @default undefined (the key keeps the expiry it had, if any)
   */
  ttl?: number;
}

/**
 * What `update` and `updateIn` take in the place of `fn` to pass options: the function as `fn`,
 * beside the {@link UpdateOptions}.
 * @example
 * ```ts
 * store.update('n', { fn: (n: number | undefined) => (n ?? 0) + 1, meta: (old) => ({ edits: ((old?.edits as number) ?? 0) + 1 }) });
 * ```
 */
export type UpdateSpec<T, A extends unknown[]> = UpdateOptions & { readonly fn: UpdateFn<T, A> };

/** Options of `multiAssoc`. */
export interface MultiAssocOptions {
  /**
   * Time to live in milliseconds of every entry, as for `assoc`.
   * @default undefined (the entries never expire)
   */
  ttl?: number;
  /**
   * User metadata for the entries, merged into each key's `Meta` like `assoc`'s: one object for
   * every entry, a `Map` from key to metadata (keys compared by value; keys it lacks get none), or
   * a function of the key (konserve's per-key meta).
   */
  meta?: UserMeta | ReadonlyMap<Key, UserMeta> | ((key: Key) => UserMeta | undefined);
}

/**
 * Options of `keys()`.
 * @example
 * ```ts
 * // list everything readable; remove what is damaged by its blob id
 * store.keys({ onDamaged: (e) => void store.backing.delete(e.path!) }).subscribe(console.log);
 * ```
 */
export interface KeysOptions {
  /**
   * What happens to a listed entry whose header and meta cannot be read: damaged bytes
   * (`ERR_CORRUPT`), a format this version cannot read (`ERR_FORMAT`), or a blob the backing
   * answers for but cannot read twice in a row (`ERR_IO`: a file without read permission, a value
   * of the wrong type on the server). Its error names the blob id in `path` (and the key, when the
   * read knew it); a damaged meta hides the key, so remove such an entry with
   * `store.backing.delete(error.path)`. A failure of the storage itself (an `ERR_IO` while the
   * backing cannot even say whether the entry exists) still errors the listing, whatever this says.
   * - `'skip'`: the entry is left out; the listing goes on. The default: one damaged entry must not
   *   hide every other key from a listing (an export, a migration, a cleanup), and the entry's own
   *   reads (`get`, `getMeta`) still fail with the error, so nothing is passed off as data.
   * - a function: called with the entry's error, in listing order, then the entry is left out and
   *   the listing goes on; what it throws errors the listing.
   * - `'fail'`: the listing errors with the entry's error (an integrity check that must stop).
   * @default 'skip'
   */
  onDamaged?: 'skip' | 'fail' | ((error: KonserveError) => void);
}

/** A stored binary, handed to the `read` function of `bget`. */
export interface BinaryBlob {
  /** The payload size in bytes. */
  readonly size: number;
  /** The whole payload, checked against its checksum. */
  bytes(): Promise<Uint8Array>;
  /** The payload as a stream of chunks; errors with `ERR_CORRUPT` at the end if the checksum fails. */
  stream(): AsyncIterable<Uint8Array>;
}

/** What `bassoc` accepts: bytes, a UTF-8 string, a Node `Readable` or any async iterable of bytes. */
export type BinaryInput = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/**
 * Entries for `multiAssoc` on a `Store<V>`: ordered `[key, value]` pairs or a record of string
 * keys; on a schema store each pair's value must match its key.
 */
export type MultiEntries<V> = Iterable<StoreEntry<V>> | StoreRecord<V>;

/** One `[key, value]` pair of a `Store<V>`, the value typed by its key on a schema store. */
export type StoreEntry<V> = [V] extends [Schema<infer M>]
  ? { [K in Extract<keyof M, string | number>]: readonly [K, M[K]] }[Extract<keyof M, string | number>]
  : readonly [Key, V];

/** A record of string keys to values of a `Store<V>` (on a schema store: a partial of its map). */
export type StoreRecord<V> = [V] extends [Schema<infer M>] ? { readonly [K in keyof M]?: M[K] } : Readonly<Record<string, V>>;

/**
 * One big persistent map of documents over a backing store. Every method returns a cold
 * Observable: nothing happens until it is subscribed, and each subscription runs the work once.
 * Failures are `error` notifications carrying a `KonserveError`.
 *
 * `V` declares what the store holds, and every method infers from it (see `schema.ts`):
 * - `Store` (= `Store<unknown>`): nothing declared; reads emit `unknown`, and callbacks of
 *   `update`, `updateIn` and `reduceLog` may annotate their parameter (an unchecked assertion).
 * - `Store<User>`: every key holds a `User`.
 * - `Store<Schema<M>>` (= `TypedStore<M>`): key `k` holds an `M[k]`; other keys are type errors,
 *   `AppendLog<E>` entries declare logs, and paths into values are typed.
 */
export interface Store<V = unknown> {
  /** The backing store this Store runs on. */
  readonly backing: BackingStore;
  /** The `storeId` option the store was created with (shared by its scopes), or `undefined`. */
  readonly storeId: string | undefined;
  /** The names of the scopes this Store is nested in, outermost first; empty for a store itself. */
  readonly scopePath: readonly string[];
  /**
   * A Store whose keys live in scope `name` of this one (nestable: `store.scope('a').scope('b')`),
   * typed as this one. Every method, operator and stream sees only the scope's keys: `keys()`,
   * `count()` and `clear()` list the scope alone (by blob id prefix, never reading other scopes'
   * blobs), `changes()` and `watch()` carry only its writes. Keys of different scopes never clash,
   * and a store's own keys do not include its scopes'. A scope shares its store's backing, locks,
   * codecs and lifecycle: closing a scope closes the store. Throws `ERR_INVALID_ARGUMENT` unless
   * `name` is a non-empty string.
   */
  scope(name: string): Store<V>;
  /** Emits whether `key` holds anything, then completes. */
  exists(key: StoreKey<V>): Observable<boolean>;
  /** Emits the value of `key`, or `notFound` (default `undefined`) when missing, then completes. */
  get<K extends StoreKey<V>>(key: K): Observable<StoreValue<V, K> | undefined>;
  get<K extends StoreKey<V>, D>(key: K, notFound: D): Observable<StoreValue<V, K> | D>;
  /** Emits the value at `path`, or `notFound` when any step is missing or not a collection. */
  getIn<const P extends StorePath<V>>(path: P): Observable<PathValue<V, P> | undefined>;
  getIn<const P extends StorePath<V>, D>(path: P, notFound: D): Observable<PathValue<V, P> | D>;
  /** Emits the key's metadata, or `undefined` when missing. Reads no value. */
  getMeta(key: StoreKey<V>): Observable<Meta | undefined>;
  /** Stores `value` under `key` without reading the old value; emits the new `Meta`. */
  assoc<K extends StoreKey<V>>(key: K, value: StoreValue<V, K>, options?: AssocOptions): Observable<Meta>;
  /** Sets the value at `path`, creating missing plain objects; emits the top-level `{ old, new }`. `options.meta` computes the new user meta; `options.ttl` sets an expiry. */
  assocIn<const P extends StorePath<V>>(path: P, value: PathValue<V, P>, options?: UpdateOptions): Observable<Change<StoreValue<V, P[0]>>>;
  /** Atomically replaces the value with `fn(old, ...args)`; emits `{ old, new }`. `fn` may be an {@link UpdateSpec} to pass options. */
  update<K extends StoreKey<V>, T = StoreValue<V, K>, A extends unknown[] = []>(
    key: K,
    fn: UpdateFn<Declared<StoreValue<V, K>, T>, A> | UpdateSpec<Declared<StoreValue<V, K>, T>, A>,
    ...args: A
  ): Observable<Change<Declared<StoreValue<V, K>, T>>>;
  /** Atomically replaces the value at `path` with `fn(old, ...args)`; emits `{ old, new }` at the path. `fn` may be an {@link UpdateSpec}. */
  updateIn<const P extends StorePath<V>, T = PathValue<V, P>, A extends unknown[] = []>(
    path: P,
    fn: UpdateFn<Declared<PathValue<V, P>, T>, A> | UpdateSpec<Declared<PathValue<V, P>, T>, A>,
    ...args: A
  ): Observable<Change<Declared<PathValue<V, P>, T>>>;
  /** Removes `key` (and an append log's elements); emits `true` if it existed. */
  dissoc(key: StoreKey<V>): Observable<boolean>;
  /** Stores binary data under `key`, streaming when the backing can; emits the new `Meta`. */
  bassoc(key: StoreKey<V>, data: BinaryInput, options?: AssocOptions): Observable<Meta>;
  /** Runs `read` on the stored binary inside the key's lock; emits its result, or `undefined` when missing. */
  bget<R>(key: StoreKey<V>, read: (blob: BinaryBlob) => ObservableInput<R>): Observable<R | undefined>;
  /**
   * Emits one `Meta` per stored key, streaming, then completes. Never loads values. An entry that
   * cannot be read (damaged bytes, an unknown format, a blob the backing cannot read) never stops
   * the listing unless `options.onDamaged` is `'fail'`: see {@link KeysOptions}.
   */
  keys(options?: KeysOptions): Observable<Meta>;
  /**
   * Removes every key (values, binaries and logs), in batches through `multiDissoc`, with the same
   * change events; emits how many keys it removed. Keys written while it runs may stay; expired
   * keys are already missing, and their blobs stay until `sweep(store, { expired: true })`.
   */
  clear(): Observable<number>;
  /** Emits how many keys the store holds (expired ones are missing), reading heads, never values. */
  count(): Observable<number>;
  /** Emits a `Map` of the found keys to their values. */
  multiGet<K extends StoreKey<V>>(keys: Iterable<K>): Observable<Map<K, StoreValue<V, K>>>;
  /** Stores every entry in order (atomically where the backing can); emits a `Map` of keys to `true`. */
  multiAssoc(entries: MultiEntries<V>, options?: MultiAssocOptions): Observable<Map<Key, true>>;
  /** Removes every key; emits a `Map` of keys to whether each existed. */
  multiDissoc<K extends StoreKey<V>>(keys: Iterable<K>): Observable<Map<K, boolean>>;
  /** Appends `elem` to the append-only log under `key`; emits `{ old, new }` of the log head. */
  append<K extends StoreKey<V>>(key: K, elem: LogElement<V, K>): Observable<Change<AppendLogHead>>;
  /** Emits each element of the log under `key` in order, then completes (nothing when missing). */
  log<K extends StoreKey<V>>(key: K): Observable<LogElement<V, K>>;
  /** Emits `fn` folded over the log's elements from `seed`, then completes. */
  reduceLog<K extends StoreKey<V>, R, E = LogElement<V, K>>(key: K, fn: ReduceFn<R, Declared<LogElement<V, K>, E>>, seed: R): Observable<R>;
  /** Hot: emits a `WriteEvent` after each committed write; completes when the store closes. */
  changes(): Observable<WriteEvent<StoreValue<V> | DeclaredLogElement<V>>>;
  /**
   * Emits the current value of `key`, then the value after each committed write (`undefined` after
   * dissoc, and when the key expires while watched).
   */
  watch<K extends StoreKey<V>>(key: K): Observable<StoreValue<V, K> | undefined>;
  /** Waits for running operations, closes the backing, completes `changes`/`watch`; emits `undefined`. */
  close(): Observable<void>;
}

/** A store typed by a key-to-value map: shorthand for `Store<Schema<M>>`. */
export type TypedStore<M extends object> = Store<Schema<M>>;
