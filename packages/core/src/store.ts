/**
 * The user-facing contract: the `Store` every backend presents, and the types of its
 * arguments and results. Every operation returns a cold Observable.
 */
import type { Observable, ObservableInput } from 'rxjs';
import type { BackingStore } from './backing';

/** A top-level key: a string, a finite number, or an array / plain object of keys, compared by value. */
export type Key = string | number | readonly Key[] | { readonly [field: string]: Key };

/** A path into a stored value: the top-level key, then object fields, array indexes or Map keys. */
export type Path = readonly [Key, ...(string | number)[]];

/** What a stored key holds. */
export type BlobType = 'value' | 'binary' | 'append-log';

/** User metadata stored beside a value with `assoc(key, value, { meta })`. */
export type UserMeta = Record<string, unknown>;

/** Metadata of a stored key: built fields win over user fields. */
export interface Meta {
  /** The user key. */
  key: Key;
  /** What the key holds; follows the latest write. */
  type: BlobType;
  /** When the key was last written, from a clock that never goes backwards. */
  lastWrite: Date;
  /** User metadata fields. */
  [field: string]: unknown;
}

/** The name of the Store method that made a write. */
export type WriteOp =
  | 'assoc'
  | 'assocIn'
  | 'update'
  | 'updateIn'
  | 'dissoc'
  | 'bassoc'
  | 'append'
  | 'multiAssoc'
  | 'multiDissoc';

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

/** Options of `assoc`. */
export interface AssocOptions {
  /** User metadata merged into the key's `Meta`; built fields (`key`, `type`, `lastWrite`) win. */
  meta?: UserMeta;
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

/** Entries for `multiAssoc`: ordered `[key, value]` pairs or a record of string keys. */
export type MultiEntries<V> = Iterable<readonly [Key, V]> | Readonly<Record<string, V>>;

/**
 * One big persistent map of documents over a backing store. Every method returns a cold
 * Observable: nothing happens until it is subscribed, and each subscription runs the work once.
 * Failures are `error` notifications carrying a `KonserveError`.
 */
export interface Store<V = unknown> {
  /** The backing store this Store runs on. */
  readonly backing: BackingStore;
  /** Emits whether `key` holds anything, then completes. */
  exists(key: Key): Observable<boolean>;
  /** Emits the value of `key`, or `notFound` (default `undefined`) when missing, then completes. */
  get<T extends V = V>(key: Key): Observable<T | undefined>;
  get<T extends V = V, D = T>(key: Key, notFound: D): Observable<T | D>;
  /** Emits the value at `path`, or `notFound` when any step is missing or not a collection. */
  getIn<T = unknown>(path: Path): Observable<T | undefined>;
  getIn<T = unknown, D = T>(path: Path, notFound: D): Observable<T | D>;
  /** Emits the key's metadata, or `undefined` when missing. Reads no value. */
  getMeta(key: Key): Observable<Meta | undefined>;
  /** Stores `value` under `key` without reading the old value; emits the new `Meta`. */
  assoc(key: Key, value: V, options?: AssocOptions): Observable<Meta>;
  /** Sets the value at `path`, creating missing plain objects; emits the top-level `{ old, new }`. */
  assocIn(path: Path, value: unknown): Observable<Change<V>>;
  /** Atomically replaces the value with `fn(old, ...args)`; emits `{ old, new }`. */
  update<A extends unknown[]>(key: Key, fn: (old: V | undefined, ...args: A) => V, ...args: A): Observable<Change<V>>;
  /** Atomically replaces the value at `path` with `fn(old, ...args)`; emits `{ old, new }` at the path. */
  updateIn<T = unknown, A extends unknown[] = unknown[]>(path: Path, fn: (old: T | undefined, ...args: A) => T, ...args: A): Observable<Change<T>>;
  /** Removes `key` (and an append log's elements); emits `true` if it existed. */
  dissoc(key: Key): Observable<boolean>;
  /** Stores binary data under `key`, streaming when the backing can; emits the new `Meta`. */
  bassoc(key: Key, data: BinaryInput, options?: AssocOptions): Observable<Meta>;
  /** Runs `read` on the stored binary inside the key's lock; emits its result, or `undefined` when missing. */
  bget<R>(key: Key, read: (blob: BinaryBlob) => ObservableInput<R>): Observable<R | undefined>;
  /** Emits one `Meta` per stored key, streaming, then completes. Never loads values. */
  keys(): Observable<Meta>;
  /** Emits a `Map` of the found keys to their values. */
  multiGet<T extends V = V>(keys: Iterable<Key>): Observable<Map<Key, T>>;
  /** Stores every entry in order (atomically where the backing can); emits a `Map` of keys to `true`. */
  multiAssoc(entries: MultiEntries<V>): Observable<Map<Key, true>>;
  /** Removes every key; emits a `Map` of keys to whether each existed. */
  multiDissoc(keys: Iterable<Key>): Observable<Map<Key, boolean>>;
  /** Appends `elem` to the append-only log under `key`; emits `{ old, new }` of the log head. */
  append<E = unknown>(key: Key, elem: E): Observable<Change<AppendLogHead>>;
  /** Emits each element of the log under `key` in order, then completes (nothing when missing). */
  log<E = unknown>(key: Key): Observable<E>;
  /** Emits `fn` folded over the log's elements from `seed`, then completes. */
  reduceLog<E = unknown, R = unknown>(key: Key, fn: (acc: R, elem: E) => R, seed: R): Observable<R>;
  /** Hot: emits a `WriteEvent` after each committed write; completes when the store closes. */
  changes(): Observable<WriteEvent<V>>;
  /** Emits the current value of `key`, then the value after each committed write (`undefined` after dissoc). */
  watch<T extends V = V>(key: Key): Observable<T | undefined>;
  /** Waits for running operations, closes the backing, completes `changes`/`watch`; emits `undefined`. */
  close(): Observable<void>;
}

/** The head of an append log, as stored under its key and returned by `append`. */
export interface AppendLogHead {
  /** The number of elements in the log. */
  count: number;
  /** The generation of the log's element blobs (a fresh random id per new log). */
  gen: string;
}
