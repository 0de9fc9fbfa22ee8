/**
 * What a Store method hands the engine: the locks an operation needs and its work, as a flow or
 * as one backing call and what follows it. Every method of every Store, over every backing, is
 * one {@link Plan} run by one {@link Run}.
 */
import type { MaybePromise } from '../../backing';
import type { KeyRef } from '../../format/key';
import type { StoreContext } from './context';
import type { Flow } from './flow';
import type { LockMode } from './locks';

/** Where a plan's results go. */
export interface Sink<T> {
  /**
   * Hands over a result. The last one is held back until the next `emit` or the end of the run,
   * so a subscriber sees it only once the operation is over (completed, locks released).
   */
  emit(value: T): void;
  /** True once the subscriber has left: a streaming plan stops reading. */
  stopped(): boolean;
  /** Delivers the held-back result now, before a side effect that must come after it (a callback). */
  flush(): void;
}

/** What every plan says about its locks and its end, whichever way it does its work. */
export interface PlanBase<T> {
  /** Blob ids to lock, in this process and (for writes) across processes; none for lock-free work. */
  readonly ids?: readonly string[];
  /** Lock mode. @default 'write' */
  readonly mode?: LockMode;
  /** The key named in errors: of a {@link CallPlan}'s backing call, and of the backing's cross-process lock. */
  readonly key?: unknown;
  /**
   * True for a one-id write whose work runs no caller code (an update function, a stream, a
   * callback) before its write has landed: on an id nobody holds or waits for, it starts without
   * taking the in-process lock, and takes it only if it is still running when `subscribe`
   * returns (an asynchronous backing). Nothing else can run on the id meanwhile, so the order is
   * the one a granted request would have had; over a synchronous backing the lock is never taken.
   */
  readonly startsUnlocked?: boolean;
  /**
   * The same work without the backing's cross-process lock, for a backing that checks that lock
   * atomically with a single write or delete (`writeIfUnlocked`, `deleteIfUnlocked`): returns
   * `false`, having done nothing, when another holder has the lock (or the backing declined);
   * the plan's work then runs under the lock. Only write plans whose commit is one blind blob write
   * (`assoc`) or delete (`dissoc`) offer it.
   */
  readonly runUnlocked?: ((out: Sink<T>) => Flow<boolean>) | undefined;
  /**
   * Called once when the run is over: settled, or left by its subscriber while still queued (so
   * the work never started). Releases what preparing the plan took hold of, such as the caller's stream.
   */
  readonly finalize?: () => void;
}

/** Work as a flow: what most methods do once their locks are granted. */
export interface FlowPlan<T> extends PlanBase<T> {
  /**
   * The work: it emits its result (one for most methods, many for `keys` and `log`) into `out`.
   * A flow over the backing's `MaybePromise` answers, or a `MaybePromise` for work that needs no
   * flow. Over a synchronous backing either completes inside `subscribe`.
   */
  run(out: Sink<T>): Flow<void> | MaybePromise<void>;
}

/**
 * Work that is one backing call and what follows it (`get`, `assoc`), as two methods of one
 * object: the run makes the call (a failure of it becomes `ERR_IO` naming `key`) and hands the
 * answer to `answered`, with a single promise reaction of its own when the answer is a promise.
 * The same work as a flow or a promise chain of its own costs closures, a second reaction and a
 * microtask hop per operation (about 380 bytes of garbage per get; docs/performance.md, round seven).
 */
export interface CallPlan<T, A> extends PlanBase<T> {
  /** The backing call. */
  call(): MaybePromise<A>;
  /** What follows the call: it emits the result into `out`. Its failures are not mapped. */
  answered(answer: A, out: Sink<T>): MaybePromise<void>;
}

/**
 * A call plan on one key of a store (`get`, `assoc`): it locks the key's blob id and names the key
 * in its errors, both read from the KeyRef rather than copied into fields of each plan.
 */
export abstract class KeyCallPlan<T, A> implements CallPlan<T, A> {
  constructor(
    protected readonly ctx: StoreContext,
    protected readonly ref: KeyRef,
  ) {}

  /** The key's blob id, the one id this plan locks. */
  get ids(): readonly string[] {
    return this.ref.ids;
  }

  /** The key, named in errors. */
  get key(): unknown {
    return this.ref.key;
  }

  abstract call(): MaybePromise<A>;
  abstract answered(answer: A, out: Sink<T>): MaybePromise<void>;
}

/** What an operation does once its locks are granted. */
export type Plan<T> = FlowPlan<T> | CallPlan<T, unknown>;

/** True for a {@link CallPlan}. */
export function isCallPlan<T>(plan: Plan<T>): plan is CallPlan<T, unknown> {
  return (plan as Partial<CallPlan<T, unknown>>).call !== undefined;
}
