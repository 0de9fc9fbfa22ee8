/** `createStore`: the one implementation of the Store API over any BackingStore. */
import { Subject, asyncScheduler } from 'rxjs';
import type { BackingStore } from './backing';
import { monotoneNow } from './internal/clock';
import { KeyLocks } from './store/engine/locks';
import { valueCodec, type CodecNames } from './format/value-codec';
import { checkOptions } from './internal/check-options';
import { invalidArgument } from './errors';
import { ROOT_SCOPE, scopeContext } from './store/scope';
import { STORE_OPTIONS, type StoreOptions } from './options';
import type { Store } from './store-api';
import { valueMethods } from './store/methods/values';
import { binaryMethods } from './store/methods/binaries';
import { lifecycleMethods } from './store/methods/lifecycle';
import { logMethods } from './store/methods/logs';
import { contextOf, type ChangeRecord, type StoreContext } from './store/engine/context';
import { multiMethods } from './store/methods/multi';
import { pathMethods } from './store/methods/paths';
import { announcer, listenRemote } from './store/remote';
import { streamMethods } from './store/methods/streams';
import { wholeStoreMethods } from './store/methods/whole-store';

const contexts = new WeakMap<object, StoreContext>();

/**
 * Creates a Store over a backing: validation, per-key locking, metadata, encoding and change
 * events all happen here, once, for every backend.
 * @param backing - where the bytes go
 * @param options - serializer, compressor, encryptor, clock and scheduler
 * @returns the Store; nothing is read or written until an operation is subscribed. Throws
 *   `ERR_INVALID_ARGUMENT` for an unknown option (naming it) or a malformed codec
 * @example
 * ```ts
 * const store = createStore(memoryBacking());
 * store.assoc('user/1', { name: 'Ada' }).pipe(switchMap(() => store.get('user/1'))).subscribe(console.log);
 * ```
 */
export function createStore<V = unknown>(backing: BackingStore, options: StoreOptions = {}): Store<V> {
  checkOptions('createStore', options, STORE_OPTIONS);
  checkClock(options);
  const storeId = options.storeId;
  if (storeId !== undefined && (typeof storeId !== 'string' || storeId.length === 0)) throw invalidArgument('storeId must be a non-empty string');
  const announce = announcer(backing);
  const scheduler = options.scheduler ?? asyncScheduler;
  const now = monotoneNow(options.now ?? (() => scheduler.now()));
  const ctx = contextOf({
    backing,
    scope: ROOT_SCOPE,
    storeId,
    codec: valueCodec(options),
    locks: new KeyLocks(),
    clock: () => new Date(now()),
    now,
    scheduler,
    changes: new Subject<ChangeRecord>(),
    life: { closed: false, inflight: 0 },
    announce,
  });
  // writes made through other instances (other processes) arrive here when the backing shares them
  listenRemote(ctx);
  return storeOf<V>(ctx);
}

/** The Store over a context: the method groups, and `scope`, which makes the Store of a nested context. */
function storeOf<V>(ctx: StoreContext): Store<V> {
  const { backing } = ctx;
  const values = valueMethods(ctx);
  const multi = multiMethods(ctx);
  const streams = streamMethods(ctx);
  const store = {
    backing,
    storeId: ctx.storeId,
    scopePath: ctx.scope.path,
    scope: (name: string) => storeOf<V>(scopeContext(ctx, name)),
    ...values,
    ...pathMethods(ctx),
    ...binaryMethods(ctx),
    ...logMethods(ctx),
    ...multi,
    ...streams,
    ...wholeStoreMethods(ctx, streams.keys, multi.multiDissoc),
    ...lifecycleMethods(ctx),
  } as Store<V>;
  contexts.set(store, ctx);
  return store;
}

/** Errors with `ERR_INVALID_ARGUMENT` unless `now` is a function and `scheduler` a SchedulerLike, when given. */
function checkClock({ now, scheduler }: StoreOptions): void {
  if (now !== undefined && typeof now !== 'function') throw invalidArgument('createStore: now must be a function returning milliseconds');
  if (scheduler !== undefined && (scheduler === null || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function')) {
    throw invalidArgument('createStore: scheduler must be an RxJS SchedulerLike (schedule and now)');
  }
}

/** Diagnostics of a Store made by {@link createStore}. */
export interface StoreInspection {
  /** Ids currently locked or waited for; 0 when the store is idle (the lock registry never leaks). */
  readonly activeLocks: number;
  /** Operations subscribed and not yet finished. */
  readonly inflight: number;
  /** Whether close() has been subscribed. */
  readonly closed: boolean;
  /**
   * The codecs new values are written with. `native` tells whether CBOR runs on its compiled
   * decoder (`cbor-extract`; about 2.5x faster decoding) or fell back to plain JS because the
   * add-on's install script was blocked (see the core README, "Native CBOR decoding").
   */
  readonly codecs: CodecNames;
  /** The backing's own counters (`BackingStore.inspect`: crash sweeps, lock waits, ...), when it keeps any. */
  readonly backing?: Readonly<Record<string, number>>;
}

/**
 * Reports a store's internal counters, for tests and monitoring.
 * @param store - a Store made by `createStore` (or any `connectXStore`)
 * @returns the current counters
 * @example
 * ```ts
 * expect(inspectStore(store).activeLocks).toBe(0);
 * ```
 */
export function inspectStore(store: Store<unknown>): StoreInspection {
  const ctx = contexts.get(store);
  if (ctx === undefined) throw new TypeError('inspectStore takes a store made by createStore');
  const counters = ctx.backing.inspect?.();
  return {
    activeLocks: ctx.locks.size,
    inflight: ctx.life.inflight,
    closed: ctx.life.closed,
    codecs: ctx.codec.writers,
    ...(counters ? { backing: counters } : {}),
  };
}

/** The shared state behind a Store made by {@link createStore} (for core's own tools, like gc); `undefined` for any other object. */
export function storeContext(store: object): StoreContext | undefined {
  return contexts.get(store);
}
