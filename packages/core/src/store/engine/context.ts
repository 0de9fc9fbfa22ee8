/** The shared state behind one Store: its backing, codecs, locks, clock, change bus and lifecycle. */
import { Subject } from 'rxjs';
import type { BackingStore, MaybePromise } from '../../backing';
import { ioError } from '../../errors';
import { isThenable, type Flow } from './flow';
import { KeyLocks } from './locks';
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
  readonly path?: Path;
  readonly deleted?: boolean;
  /** The value for `WriteEvent.value` (the new element, for append). */
  readonly value?: () => unknown;
  /** The key's whole value after the write, for `watch`, when it differs from `value` (append: the head). */
  readonly current?: () => unknown;
  readonly old?: () => unknown;
}

/** The state a Store's operations share. */
export interface StoreContext {
  readonly backing: BackingStore;
  readonly codec: ValueCodec;
  readonly locks: KeyLocks;
  readonly clock: () => Date;
  readonly changes: Subject<ChangeRecord>;
  /** Shares a committed write with other instances, when the backing can (see store/remote.ts). */
  readonly announce?: (record: ChangeRecord) => void;
  /** Lifecycle: `closed` is set as soon as close() is subscribed. */
  readonly life: { closed: boolean; inflight: number; idle?: () => void };
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
