/**
 * The one place every Store operation goes through: cold Observables that check the lifecycle,
 * prepare synchronously at subscribe (validation, encoding: so later mutation of arguments
 * cannot change what is written), take the per-key locks in subscription order, run a flow,
 * and never leave a started write half-done when the subscriber leaves.
 */
import { Observable, type Subscriber, type Unsubscribable } from 'rxjs';
import type { MaybePromise } from '../backing';
import { closed } from '../errors';
import { isThenable, runFlow, wait, type Flow } from '../internal/flow';
import type { LockMode, LockWaiter, Unlock } from '../internal/locks';
import { withBackingLocks, type StoreContext } from './context';

/** What an operation does once its locks are granted. */
export interface Plan<T> {
  /** Blob ids to lock; none for lock-free reads. */
  readonly ids?: readonly string[];
  /** Lock mode. @default 'write' */
  readonly mode?: LockMode;
  /** The key named in errors of the backing's cross-process lock. */
  readonly key?: unknown;
  /**
   * The work: emits results through `emit`; `stopped()` tells that the subscriber left. A flow,
   * or (for the hottest single-step reads) a plain `MaybePromise` computation.
   */
  run(emit: (value: T) => void, stopped: () => boolean): Flow<void> | MaybePromise<void>;
}

/** A cold Observable running `prepare()` at subscribe time and the plan under its locks. */
export function operation<T>(ctx: StoreContext, name: string, prepare: () => Plan<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    if (ctx.life.closed) return subscriber.error(closed(name));
    let plan: Plan<T>;
    try {
      plan = prepare();
    } catch (e) {
      return subscriber.error(e);
    }
    return new Run(ctx, subscriber, plan).start();
  });
}

const WAITING = 0;
const RUNNING = 1;
const DONE = 2;
const NO_IDS: readonly string[] = [];

/**
 * One subscription of an operation. Its state lives in one object that is also its lock request
 * and its teardown: with 10,000 operations in flight, a handful of closures each (and their
 * contexts) was most of what every young-generation collection had to copy.
 */
class Run<T> implements LockWaiter, Unsubscribable {
  readonly mode: LockMode;
  lockState = 0;
  private phase = WAITING;
  /** The one id locked through this object (`request`/`release`). */
  private lockedId: string | undefined;
  /** The release of several ids (`acquireAll`). */
  private unlock: Unlock | undefined;
  private releaseLater = false;
  // the latest value is held back one step, so a single result is delivered together with
  // completion and lock release: once a subscriber sees it, the operation is really over
  private holding = false;
  private held: T | undefined;

  constructor(
    private readonly ctx: StoreContext,
    private readonly subscriber: Subscriber<T>,
    private readonly plan: Plan<T>,
  ) {
    this.mode = plan.mode ?? 'write';
  }

  start(): Unsubscribable | undefined {
    const { ctx } = this;
    const ids = this.plan.ids ?? NO_IDS;
    ctx.life.inflight++;
    if (ids.length === 1) {
      const id = ids[0]!;
      if (this.mode === 'read' && ctx.locks.isFree(id)) {
        // a read of an id nobody holds or waits for starts at once; only if it is still running
        // when subscribe returns (an asynchronous backing) does it register its read lock, which
        // is the same order a queued request would have had: nothing ran in between
        this.begin();
        if (this.phase !== RUNNING) return undefined;
      }
      this.lockedId = id;
      ctx.locks.request(id, this);
    } else if (ids.length > 1) {
      this.unlock = ctx.locks.acquireAll(ids, this.mode, () => this.begin());
      if (this.releaseLater) this.unlock();
    } else {
      this.begin();
    }
    // only a queued run needs to hear of an unsubscribe (a started one finishes regardless); not
    // registering a teardown otherwise spares rxjs a finalizer array per subscription
    return this.phase === WAITING ? this : undefined;
  }

  /** The lock is granted: run (a no-op when the run already started or was left). */
  granted(): void {
    this.begin();
  }

  /** The subscriber left: if still queued, the work never starts, so nothing is half-done. */
  unsubscribe(): void {
    if (this.phase !== WAITING) return;
    this.phase = DONE;
    this.release();
    leave(this.ctx);
  }

  private begin(): void {
    if (this.phase !== WAITING) return;
    this.phase = RUNNING;
    let result: unknown;
    try {
      result = this.execute();
    } catch (e) {
      return this.settle(true, e);
    }
    if (isThenable(result)) result.then(() => this.settle(false, undefined), (e: unknown) => this.settle(true, e));
    else this.settle(false, undefined);
  }

  private execute(): unknown {
    const { ctx, plan, subscriber } = this;
    const emit = (v: T): void => {
      if (this.holding) subscriber.next(this.held!);
      this.holding = true;
      this.held = v;
    };
    const stopped = (): boolean => subscriber.closed;
    const ids = plan.ids ?? NO_IDS;
    if (this.mode === 'write' && ids.length > 0 && ctx.backing.lock !== undefined) {
      return runFlow(withBackingLocks(ctx, ids, plan.key, asFlow(() => plan.run(emit, stopped))));
    }
    const work = plan.run(emit, stopped);
    return isFlow(work) ? runFlow(work) : work;
  }

  private settle(failed: boolean, error: unknown): void {
    this.phase = DONE;
    const { subscriber } = this;
    if (this.holding) {
      const v = this.held!;
      this.held = undefined;
      subscriber.next(v);
    }
    // deliver before releasing, so the next operation on the key runs after this result is seen
    if (failed) subscriber.error(error);
    else subscriber.complete();
    this.release();
    leave(this.ctx);
  }

  private release(): void {
    if (this.lockedId !== undefined) this.ctx.locks.release(this.lockedId, this);
    else if (this.unlock !== undefined) this.unlock();
    // settled inside acquireAll, before its release function was returned
    else this.releaseLater = true;
  }
}

function* asFlow(start: () => Flow<void> | MaybePromise<void>): Flow<void> {
  const work = start();
  if (isFlow(work)) return yield* work;
  yield* wait(work);
}

function isFlow(x: unknown): x is Flow<void> {
  return typeof x === 'object' && x !== null && typeof (x as Flow<void>).next === 'function' && typeof (x as Flow<void>).throw === 'function';
}

function leave(ctx: StoreContext): void {
  ctx.life.inflight--;
  if (ctx.life.inflight === 0) ctx.life.idle?.();
}
