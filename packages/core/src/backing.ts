/**
 * The byte-level contract every backend implements. A backing only moves bytes by blob id;
 * all konserve semantics (keys, locking, metadata, encoding, events) live in `createStore`.
 * Methods receive already-validated arguments and never check user input.
 */
import type { Observable } from 'rxjs';
import type { WriteOp } from './model';

/**
 * A value or a promise of it. Backings that can answer at once (memory) return plain values,
 * which lets the Store emit synchronously on subscribe.
 */
export type MaybePromise<T> = T | PromiseLike<T>;

/** What a backing can do, as data: core and the compliance suite branch on these, never on names. */
export interface BackingCapabilities {
  /** Every method returns a plain value (never a promise), so Store operations emit synchronously. */
  readonly syncResults: boolean;
  /** `writeBatch` applies all its entries or none. */
  readonly atomicMulti: boolean;
  /** A completed write survives a crash of the process (and of the machine, when fsync is on). */
  readonly durable: boolean;
  /** Several processes may open the same store at once; `lock` serializes writers across them. */
  readonly multiProcess: boolean;
  /**
   * `read` answers with the same array for a blob until the blob changes (a backing that keeps
   * blobs in memory). Core then remembers, per array, what it checked and learned of it (in a
   * non-enumerable property under a private symbol; an array made non-extensible is checked on
   * every read instead), and a repeated read of an unchanged blob skips that work. Without it,
   * reads are fresh arrays and remembering them would gain nothing. Optional.
   * @default false
   */
  readonly stableArrays?: boolean;
}

/**
 * One entry of a {@link BackingStore.writeBatch}: bytes to write, or `null` to delete the blob;
 * for a write, the instant the blob expires, as for {@link BackingStore.write}.
 */
export type BatchEntry = readonly [id: string, data: Uint8Array | null, expiresAt?: number | undefined];

/** An open blob for positional reads (used for large binaries and header-only reads). */
export interface BlobHandle {
  /** The blob's total size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `position`; a shorter result means the end was reached. */
  read(position: number, length: number): MaybePromise<Uint8Array>;
  /** Releases the handle; called exactly once. */
  close(): MaybePromise<void>;
}

/**
 * A committed write, as core announces it to other Stores over the same data (other processes,
 * other machines) and as a backing reports such a write back. It carries no value: the receiving
 * Store re-reads the key when someone listens. Backings transport it; only core builds and reads it.
 */
export interface ChangeNotice {
  /** The Store method that made the write. */
  readonly op: WriteOp;
  /** The blob id of the key written. */
  readonly id: string;
  /** The key's Meta after the write, CBOR-encoded as in a blob header; the user key is inside. */
  readonly meta: Uint8Array;
  /** For `assocIn`/`updateIn`: the path below the key (strings and numbers only, JSON-safe). */
  readonly path?: readonly (string | number)[];
  /** For `append`: the blob id of the new element (element blobs never change, so it reads back exactly). */
  readonly element?: string;
  /** True when the write removed the key (`dissoc`, `multiDissoc`). */
  readonly deleted: boolean;
  /**
   * The key's `lastWrite` after the write (milliseconds since the epoch), which replaces the one
   * inside `meta` when given. Set on the notice of a {@link BackingStore.deleteIfUnlocked}, whose
   * `meta` is the deleted blob's own (its `lastWrite` is the previous write's): the receiver's
   * Meta then has the deletion's time, as the deleting Store's own event does.
   */
  readonly lastWrite?: number;
}

/**
 * The notice core hands {@link BackingStore.deleteIfUnlocked}: a {@link ChangeNotice} without
 * `meta`, which the backing takes from the blob it deletes (see there), with `lastWrite` set.
 */
export type DeletionNotice = Omit<ChangeNotice, 'meta' | 'lastWrite'> & { readonly lastWrite: number };

/** The name of a BackingStore data method: what backing wrappers delay, fail or count. */
export type BackingOp = 'read' | 'readHead' | 'open' | 'write' | 'writeStream' | 'writeBatch' | 'delete' | 'has' | 'list' | 'listPrefix' | 'lock';

/** Every {@link BackingOp}, in the order the interface declares them. */
export const BACKING_OPS: readonly BackingOp[] = [
  'read',
  'readHead',
  'open',
  'write',
  'writeStream',
  'writeBatch',
  'delete',
  'has',
  'list',
  'listPrefix',
  'lock',
];

/** The optional data methods of a {@link BackingStore}, which a wrapper offers only when the backing it wraps has them. */
export type OptionalMethod = 'readHead' | 'open' | 'writeStream' | 'writeBatch' | 'listPrefix' | 'lock' | 'writeIfUnlocked' | 'deleteIfUnlocked' | 'close';

/** For each optional method a wrapper offers: its wrapped form, made from the inner backing's method (bound). */
export type OptionalWrappers = { readonly [M in OptionalMethod]?: (inner: NonNullable<BackingStore[M]>) => NonNullable<BackingStore[M]> };

/**
 * Completes a backing wrapper around `inner` (the kit latency, cache and faults are built with).
 * `wrapper` already holds the wrapper's own members: capabilities, the required methods, extras.
 * Each optional method is added only when `inner` has it, made by its entry in `optional` from
 * the inner method, so core picks the same fallbacks through the wrapper as without it. An
 * optional method without an entry is not offered: a wrapper opts in to each, so a method added
 * to the contract later never slips around a wrapper that needs to see its calls (a cache).
 * What no wrapper changes passes through as it is: change notices (`announce`, `remoteChanges`:
 * delaying or faulting them would only reorder or lose them) and the backing's own counters (`inspect`).
 * @param inner - the wrapped backing
 * @param wrapper - the wrapper's own members
 * @param optional - the wrapped form of each optional method the wrapper offers
 * @returns `wrapper`, completed
 */
export function wrapBacking<B extends BackingStore>(inner: BackingStore, wrapper: B, optional: OptionalWrappers = {}): B {
  const target = wrapper as { -readonly [K in keyof BackingStore]: BackingStore[K] };
  for (const name of Object.keys(optional) as OptionalMethod[]) {
    const method = inner[name] as ((...args: never[]) => unknown) | undefined;
    const wrap = optional[name] as ((m: (...args: never[]) => unknown) => never) | undefined;
    if (method !== undefined && wrap !== undefined) target[name] = wrap(method.bind(inner));
  }
  return passThrough(wrapper, inner);
}

/**
 * Copies onto a wrapper the members of the backing it wraps that a wrapper passes through
 * unchanged: change notices (`announce`, `remoteChanges`: delaying or faulting them would only
 * reorder or lose them) and the backing's own counters (`inspect`). Each is copied only when
 * `inner` has it, so core sees the same optional members through the wrapper as without it.
 * @param wrapper - the backing being built around `inner`
 * @param inner - the wrapped backing
 * @returns `wrapper`
 */
export function passThrough<B extends BackingStore>(wrapper: B, inner: BackingStore): B {
  const { announce, remoteChanges, inspect } = inner;
  const target = wrapper as { -readonly [K in keyof BackingStore]: BackingStore[K] };
  if (announce) target.announce = (notice) => announce.call(inner, notice);
  if (remoteChanges) target.remoteChanges = remoteChanges;
  if (inspect) target.inspect = () => inspect.call(inner);
  return wrapper;
}

/**
 * The lock id that guards blob `id`: the id up to its first `.` (an append log's element blobs
 * `<id>.<gen>.<i>` are written under the lock of `<id>`). See {@link BackingStore.lock} on fencing.
 * @param id - a blob id chosen by core
 * @returns the id core passes to `lock` before writing that blob
 */
export function lockIdOf(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/** Releases a lock taken with {@link BackingStore.lock}. */
export type ReleaseLock = () => MaybePromise<void>;

/**
 * The byte-level storage a Store runs on. Blob ids are short strings of `[0-9a-z.-]` chosen by
 * core (hashes of keys), safe to use as file names.
 */
export interface BackingStore {
  /** What this backing can do. */
  readonly capabilities: BackingCapabilities;
  /**
   * The whole blob, or `undefined` when it does not exist. Bytes are immutable once handed over,
   * both ways: core never changes an array it wrote or read, and a backing never changes an array
   * after returning it (new content comes in a new array). A backing that keeps blobs in memory may
   * so return the same array on every read; core then checks its checksums on the first read only.
   */
  read(id: string): MaybePromise<Uint8Array | undefined>;
  /**
   * At most the first `length` bytes of the blob (fewer only when it is shorter), or `undefined`.
   * One call answers from one version of the blob, never a mix of two, and never `undefined` or
   * an empty prefix for a blob that existed in that version's place. Two calls may see two versions.
   * Optional: core falls back to `read`.
   */
  readHead?(id: string, length: number): MaybePromise<Uint8Array | undefined>;
  /** Opens the blob for positional reads, or `undefined` when missing. Optional: core falls back to `read`. */
  open?(id: string): MaybePromise<BlobHandle | undefined>;
  /**
   * Replaces the blob atomically: a reader sees the old bytes or the new ones, never a mix.
   * `expiresAt`, when given, is when the blob's key expires (milliseconds since the epoch, by the
   * Store's clock); core already treats the key as missing from then on, so a backing may ignore
   * it. One with a native expiry (Redis) may let the storage drop the blob some time after it,
   * never before, to reclaim the space without a sweep. Also in {@link writeIfUnlocked} and each
   * {@link BatchEntry}.
   *
   * `data` may be a view into a larger buffer shared with other blobs (its `byteOffset` and
   * `byteLength` delimit the blob): core builds small blobs in shared slabs. A backing that keeps
   * the bytes for long (in memory, in a cache) should keep `ownedBytes(data)`, which copies only
   * such a view, so that it does not keep the whole slab alive; one that writes them out
   * (a file, a socket) uses them as they are.
   */
  write(id: string, data: Uint8Array, expiresAt?: number): MaybePromise<void>;
  /**
   * Streams a blob: writes every chunk in order, then overwrites the first bytes with `head()`
   * (whose length equals the first chunk's), then commits atomically. Optional: core buffers
   * the chunks and calls `write` instead.
   */
  writeStream?(id: string, chunks: AsyncIterable<Uint8Array>, head: () => Uint8Array): Promise<void>;
  /** Writes and deletes several blobs; atomic when `capabilities.atomicMulti`. Optional: core writes one by one. */
  writeBatch?(entries: readonly BatchEntry[]): MaybePromise<void>;
  /** Deletes the blob; `true` when it existed. */
  delete(id: string): MaybePromise<boolean>;
  /** Whether the blob exists. */
  has(id: string): MaybePromise<boolean>;
  /** Every blob id, in any order; must not include temporary files of unfinished writes. */
  list(): Iterable<string> | AsyncIterable<string>;
  /**
   * Every blob id that starts with `prefix`, in any order, as `list` would give them (no temporary
   * files); it must not read blobs. Core calls it to list one scope (`Store.scope`): `prefix` is a
   * scope's id prefix (`[0-9a-f]{32}-`). Optional: core falls back to `list` and filters the ids.
   */
  listPrefix?(prefix: string): Iterable<string> | AsyncIterable<string>;
  /**
   * Takes an exclusive lock on `id` shared with other processes opening the same store.
   * Optional: only backings with `capabilities.multiProcess` need it. Core already serializes
   * writers within one process, so this is called at most once at a time per id per store.
   *
   * **Fencing.** While a lock is held, core writes (`write`, `writeStream`, `writeBatch`,
   * `delete`) only blobs whose {@link lockIdOf} is a held id. A lock can be lost while its holder
   * stalls (a lease that expired, a lock broken as stale); a write made after that must fail with
   * `ERR_LOCK_LOST` (core's `lockLost`) and change nothing, checked atomically where the data
   * lives (a server-side script, a conditional write), or the backing must make its locks
   * impossible to lose while the holder lives. No acknowledged write is ever overwritten by a
   * writer that no longer held the lock.
   */
  lock?(id: string): MaybePromise<ReleaseLock>;
  /**
   * Writes blob `id` only when no holder (of this or another instance) has the lock of
   * {@link lockIdOf}(id), checked atomically with the write, and shares `notice` (when given) in
   * the same step, as {@link announce} would. Resolves `false` when the lock is held: then nothing
   * was written or shared, and core takes the lock and writes as usual. Optional, for
   * multi-process backings whose lock costs round trips: it lets a blind single-blob write
   * (`assoc`) commit in one. Core calls it only when it holds no lock on that id itself. A
   * wrapper that does not forward it hides it, and core falls back to `lock` and `write`.
   */
  writeIfUnlocked?(id: string, data: Uint8Array, notice?: ChangeNotice, expiresAt?: number): MaybePromise<boolean>;
  /**
   * Deletes blob `id` only when no holder has the lock of {@link lockIdOf}(id) and the blob is one
   * core lets a backing delete unread: its first bytes are one of `BLIND_DELETE_FORMAT`'s
   * `heads` (format versions without expiry, so whether the key has expired never needs the
   * Store's clock). Checked atomically with the delete, like {@link writeIfUnlocked}, and in the
   * same step, when `notice` is given, shares the {@link ChangeNotice} that is `notice` with
   * `meta` = the deleted blob's meta bytes: the u32 (little-endian) at `metaLengthAt` gives
   * their length M, and they are the M bytes from `metaAt` (docs/format.md, "Blob layout").
   * Resolves with the deleted blob's bytes (all of them up to `wholeUpTo` bytes; of a longer blob,
   * at least its header and meta, the first `metaAt` + M); `undefined` when there was no blob
   * (nothing deleted or shared); `false` when it did nothing because the lock is held or the blob does not start with
   * an accepted head (or is too short for its meta): core then takes the lock and deletes as
   * usual. Optional, for multi-process backings whose lock costs round trips: it lets an
   * uncontended `dissoc` commit in one. Core calls it only when it holds no lock on that id
   * itself. A wrapper that does not forward it hides it, and core falls back to `lock`.
   */
  deleteIfUnlocked?(id: string, notice?: DeletionNotice): MaybePromise<Uint8Array | false | undefined>;
  /**
   * Shares a committed write with other instances over the same data (e.g. Redis PUBLISH).
   * Optional. Core calls it synchronously after each committed write, before the operation
   * completes and before the key's lock is released; it must not block, and a failure never
   * fails the write (delivery is best effort, at most once).
   */
  announce?(notice: ChangeNotice): void;
  /**
   * Hot stream of notices announced by *other* backing instances over the same data (never this
   * instance's own), in the order they were announced; completes when the backing closes.
   * Optional. Core re-reads each key only while `changes()`/`watch()` have subscribers and emits
   * the write on them, like a local one.
   */
  readonly remoteChanges?: Observable<ChangeNotice>;
  /**
   * Counters of what the backing did on its own (recoveries, lock waits, lost locks), for
   * `inspectStore`. Optional; must be cheap and never throw.
   */
  inspect?(): Readonly<Record<string, number>>;
  /** Releases resources; no method is called afterwards. */
  close?(): MaybePromise<void>;
}
