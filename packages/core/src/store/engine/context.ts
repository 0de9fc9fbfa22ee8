/** The shared state behind one Store: its backing, codecs, locks, clock, change bus and lifecycle. */
import { Subject, type SchedulerLike } from 'rxjs';
import type { BackingStore, MaybePromise } from '../../backing';
import { ioError } from '../../errors';
import { isThenable, type Flow } from './flow';
import { KeyLocks } from './locks';
import type { GenerationalCache, KeyRef } from '../../format/key';
import type { ValueCodec } from '../../format/value-codec';
import type { Key, Meta, Path, WriteOp } from '../../store-api';

/**
 * A committed write as seen inside core; values decode lazily, once per consumer. A decoding
 * thunk answers with a promise when the store's codecs are asynchronous (see codec.ts).
 */
export interface ChangeRecord {
  readonly op: WriteOp;
  readonly key: Key;
  readonly id: string;
  readonly meta: Meta;
  /** `meta` CBOR-encoded, when the write already holds those bytes (inside its blob): a notice takes them as they are. */
  readonly metaBytes?: Uint8Array;
  readonly path?: Path;
  readonly deleted?: boolean;
  /** The value for `WriteEvent.value` (the new element, for append). */
  readonly value?: () => unknown;
  /** The key's whole value after the write, for `watch`, when it differs from `value` (append: the head). */
  readonly current?: () => unknown;
  readonly old?: () => unknown;
}

/** Where a Store's keys live: a scope path and the blob id prefix derived from it. */
export interface StoreScope {
  /** The scope names from the root down; empty for the root store. */
  readonly path: readonly string[];
  /** The prefix of every blob id of the scope (`format/key.ts` `scopePrefix`); `''` for the root. */
  readonly prefix: string;
  /**
   * The scope's KeyRefs of string keys: a repeated key costs one lookup, as in the root (a fresh
   * id string per call would be hashed again by every Map the backing keeps). Unused by the root.
   */
  readonly refs: GenerationalCache<KeyRef>;
}

/**
 * The state a Store's operations share. A scope's context is its store's with another `scope`:
 * backing, codecs, locks, clock, change bus and lifecycle are the same objects.
 */
export interface StoreContext {
  readonly backing: BackingStore;
  /** The scope this Store's keys live in. */
  readonly scope: StoreScope;
  /** The `storeId` option, when given. */
  readonly storeId?: string | undefined;
  readonly codec: ValueCodec;
  readonly locks: KeyLocks;
  readonly clock: () => Date;
  /** The same clock in milliseconds, for expiry: a key expired at `now()` stays expired. */
  readonly now: () => number;
  /** Schedules the timers of expiry (`watch` emits `undefined` when its key expires). */
  readonly scheduler: SchedulerLike;
  readonly changes: Subject<ChangeRecord>;
  /** Shares a committed write with other instances, when the backing can (see store/remote.ts). */
  readonly announce?: ((record: ChangeRecord) => void) | undefined;
  /** Lifecycle: `closed` is set as soon as close() is subscribed; `closing` is the one shutdown, shared by every scope. */
  readonly life: { closed: boolean; inflight: number; idle?: () => void; closing?: MaybePromise<void> };
}

/**
 * A context with every field present, in one order: a store's context and its scopes' then share
 * one hidden class, so the engine's property reads stay monomorphic when both are in use.
 */
export function contextOf(c: StoreContext): StoreContext {
  return {
    backing: c.backing,
    scope: c.scope,
    storeId: c.storeId,
    codec: c.codec,
    locks: c.locks,
    clock: c.clock,
    now: c.now,
    scheduler: c.scheduler,
    changes: c.changes,
    announce: c.announce,
    life: c.life,
  };
}

/**
 * Calls the backing inside a flow, turning its failures into `ERR_IO` (KonserveErrors pass), and
 * continues with `then` on its answer (failures of `then` are not mapped).
 */
export function io<T>(key: unknown, call: () => MaybePromise<T>): Generator<unknown, T, T>;
export function io<T, R>(key: unknown, call: () => MaybePromise<T>, then: (value: T) => R): Generator<unknown, R, R>;
export function* io<T, R>(key: unknown, call: () => MaybePromise<T>, then?: (value: T) => R): Generator<unknown, T | R, T | R> {
  const x = ioThen<T, T | R>(key, call, then ?? same);
  return isThenable<T | R>(x) ? yield x : x;
}

function same<T>(value: T): T {
  return value;
}

/**
 * Calls the backing outside a flow, with the same error mapping as {@link io}, and continues with
 * `then` on its answer in one step: an asynchronous answer gets a single reaction that maps a
 * failure of the call to `ERR_IO` or continues. Failures of `then` are not mapped.
 */
export function ioThen<T, R>(key: unknown, call: () => MaybePromise<T>, then: (value: T) => R): MaybePromise<R> {
  let x: MaybePromise<T>;
  try {
    x = call();
  } catch (e) {
    throw ioError(e, key);
  }
  return isThenable<T>(x)
    ? x.then(then, (e: unknown) => {
        throw ioError(e, key);
      })
    : then(x);
}

/** Publishes a committed write to `changes()` and `watch()` subscribers, and announces it to other instances. */
export function publish(ctx: StoreContext, record: ChangeRecord): void {
  ctx.announce?.(record);
  if (ctx.changes.observed) ctx.changes.next(record);
}

/** Runs a flow under the backing's cross-process locks on `ids`, when the backing has them. */
export function* withBackingLocks<T>(ctx: StoreContext, ids: readonly string[], key: unknown, body: Flow<T>): Flow<T> {
  const lock = ctx.backing.lock;
  if (lock === undefined) return yield* body;
  const releases: Array<() => MaybePromise<void>> = [];
  try {
    for (const id of [...new Set(ids)].sort()) releases.push(yield* io(key, () => lock.call(ctx.backing, id)));
    return yield* body;
  } finally {
    for (const release of releases.reverse()) yield* io(key, release);
  }
}
