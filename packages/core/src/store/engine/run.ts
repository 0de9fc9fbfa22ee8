/**
 * One subscription of a Store operation, from lock request to settlement: the machinery behind
 * {@link operation} (see operation.ts for what it guarantees).
 */
import type { Subscriber, Unsubscribable } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { isThenable, runFlow, wait, type Flow } from './flow';
import type { LockMode, LockWaiter, Unlock } from './locks';
import { io, withBackingLocks, type StoreContext } from './context';
import { ioError } from '../../errors';
import type { Plan, ResultPlan } from './operation';

const WAITING = 0;
const RUNNING = 1;
const DONE = 2;
const NO_IDS: readonly string[] = [];

/**
 * One subscription of an operation. Its state lives in one object that is also its lock request
 * and its teardown: with 10,000 operations in flight, a handful of closures each (and their
 * contexts) was most of what every young-generation collection had to copy.
 */
export class Run<T, R = unknown> implements LockWaiter, Unsubscribable {
  /** The lock mode of the plan. */
  readonly mode: LockMode;
  /** The lock registry's state of this request (see LockWaiter). */
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

  /** A run of `plan` for `subscriber`; nothing happens before `start()`. */
  constructor(
    private readonly ctx: StoreContext,
    private readonly subscriber: Subscriber<T>,
    private readonly plan: Plan<T> | ResultPlan<T, R>,
  ) {
    this.mode = plan.mode ?? 'write';
  }

  /**
   * Requests the locks (or starts at once: a read of a free id, a plan without ids).
   * @returns the teardown for rxjs: this run while it is queued, else nothing
   */
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
    this.finalize();
    leave(this.ctx);
  }

  private begin(): void {
    if (this.phase !== WAITING) return;
    this.phase = RUNNING;
    const { plan } = this;
    let result: unknown;
    try {
      if (!('result' in plan) || this.backingLocked()) {
        result = this.execute();
      } else {
        return this.runResult(plan);
      }
    } catch (e) {
      return this.settle(true, e);
    }
    if (isThenable(result))
      result.then(
        () => this.settle(false, undefined),
        (e: unknown) => this.settle(true, e),
      );
    else this.settle(false, undefined);
  }

  private runResult(plan: ResultPlan<T, R>): void {
    let value: MaybePromise<R>;
    try {
      value = plan.result();
    } catch (e) {
      return this.settle(true, plan.io === true ? ioError(e, plan.key) : e);
    }
    // one reaction that maps a failure or continues and delivers, instead of a hop for each
    if (isThenable<R>(value))
      value.then(
        (v) => this.finish(v),
        (e: unknown) => this.settle(true, plan.io === true ? ioError(e, plan.key) : e),
      );
    else this.finish(value);
  }

  private finish(value: R): void {
    const { done } = this.plan as ResultPlan<T, R>;
    let result: T;
    try {
      result = done === undefined ? (value as unknown as T) : done(value);
    } catch (e) {
      return this.settle(true, e);
    }
    this.holding = true;
    this.held = result;
    this.settle(false, undefined);
  }

  /** True when the plan must run under the backing's cross-process locks (see withBackingLocks). */
  private backingLocked(): boolean {
    return this.mode === 'write' && (this.plan.ids ?? NO_IDS).length > 0 && this.ctx.backing.lock !== undefined;
  }

  private execute(): unknown {
    const { ctx, plan, subscriber } = this;
    const emit = (v: T): void => {
      if (this.holding) subscriber.next(this.held!);
      this.holding = true;
      this.held = v;
    };
    const stopped = (): boolean => subscriber.closed;
    const flush = (): void => {
      if (!this.holding) return;
      const v = this.held!;
      this.holding = false;
      this.held = undefined;
      subscriber.next(v);
    };
    const work = (): Flow<void> | MaybePromise<void> => ('result' in plan ? resultFlow(plan, emit) : plan.run(emit, stopped, flush));
    if (this.backingLocked()) return runFlow(withBackingLocks(ctx, plan.ids!, plan.key, asFlow(work)));
    const started = work();
    return isFlow(started) ? runFlow(started) : started;
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
    this.finalize();
    leave(this.ctx);
  }

  private finalize(): void {
    const { plan } = this;
    if ('finalize' in plan) plan.finalize?.();
  }

  private release(): void {
    if (this.lockedId !== undefined) this.ctx.locks.release(this.lockedId, this);
    else if (this.unlock !== undefined) this.unlock();
    // settled inside acquireAll, before its release function was returned
    else this.releaseLater = true;
  }
}

function* resultFlow<T, R>(plan: ResultPlan<T, R>, emit: (value: T) => void): Flow<void> {
  const value = plan.io === true ? yield* io(plan.key, () => plan.result()) : yield* wait(plan.result());
  emit(plan.done === undefined ? (value as unknown as T) : plan.done(value));
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
