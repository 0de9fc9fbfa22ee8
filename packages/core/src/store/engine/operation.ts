/**
 * The one place every Store operation goes through: cold Observables that check the lifecycle,
 * prepare synchronously at subscribe (validation, encoding: so later mutation of arguments
 * cannot change what is written), take the per-key locks in subscription order, run a flow,
 * and never leave a started write half-done when the subscriber leaves.
 */
import { Observable } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { closed } from '../../errors';
import type { Flow } from './flow';
import type { LockMode } from './locks';
import type { StoreContext } from './context';
import { Run } from './run';

/** The locks an operation takes before it runs. */
export interface PlanLocks {
  /** Blob ids to lock; none for lock-free reads. */
  readonly ids?: readonly string[];
  /** Lock mode. @default 'write' */
  readonly mode?: LockMode;
  /** The key named in errors of the backing's cross-process lock. */
  readonly key?: unknown;
}

/** What an operation does once its locks are granted. */
export interface Plan<T> extends PlanLocks {
  /**
   * The work: emits results through `emit`; `stopped()` tells that the subscriber left. A flow,
   * or (for the hottest single-step reads) a plain `MaybePromise` computation. The last emitted
   * value is held back until the next `emit` or the end (so it is seen before the locks go);
   * `flush()` hands it over now, before a side effect that must come after it (a callback).
   */
  run(emit: (value: T) => void, stopped: () => boolean, flush: () => void): Flow<void> | MaybePromise<void>;
  /**
   * Called once when the run is over: settled, or left by its subscriber while still queued (so
   * `run` never started). Releases what `prepare()` took hold of, such as the caller's stream.
   */
  readonly finalize?: () => void;
}

/**
 * An operation with exactly one result, computed by one `MaybePromise` step (one backing call and
 * what follows it, as `get` and `assoc` are). Emitting the settled value directly spares the
 * `emit` and `stopped` closures and promise hops per operation, which counts when thousands are
 * in flight: with `io` and `done`, a backing call's promise gets a single reaction that maps a
 * failure and continues.
 */
export interface ResultPlan<T, R = T> extends PlanLocks {
  /** The work: its value (or the value its promise resolves to) is the result, or `done`'s input. */
  result(): MaybePromise<R>;
  /** Turns the settled value of `result()` into the one result (publishing, say), in the same reaction. */
  readonly done?: (value: R) => T;
  /**
   * `result()` is a call into the backing: what it throws or rejects with becomes `ERR_IO` naming
   * `key`, as `ioNow` maps it (KonserveErrors pass). Failures of `done` are not mapped.
   * @default false
   */
  readonly io?: boolean;
}

/** A cold Observable running `prepare()` at subscribe time and the plan under its locks. */
export function operation<T, R = T>(ctx: StoreContext, name: string, prepare: () => Plan<T> | ResultPlan<T, R>): Observable<T> {
  return new Observable<T>((subscriber) => {
    if (ctx.life.closed) return subscriber.error(closed(name));
    let plan: Plan<T> | ResultPlan<T, R>;
    try {
      plan = prepare();
    } catch (e) {
      return subscriber.error(e);
    }
    return new Run(ctx, subscriber, plan).start();
  });
}
