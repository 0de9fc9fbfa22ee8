/**
 * One subscription of a Store operation, from lock request to settlement: the machinery behind
 * {@link operation} (see operation.ts for what it guarantees).
 */
import type { Subscriber, Unsubscribable } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { ioError } from '../../errors';
import { isFlow, isThenable, runFlow, wait, type Flow } from './flow';
import type { Grantee, LockTicket, Unlock } from './locks';
import { io, withBackingLocks, type StoreContext } from './context';
import { isCallPlan, type CallPlan, type Plan, type Sink } from './plan';

const WAITING = 0;
const RUNNING = 1;
const DONE = 2;
const NO_IDS: readonly string[] = [];

/**
 * One run of a plan for one subscriber. It is the plan's {@link Sink} and the lock registry's
 * {@link Grantee}, so an operation is one object whatever it does.
 */
export class Run<T> implements Sink<T>, Grantee, Unsubscribable {
  private phase = WAITING;
  /** The lock of a one-id plan. */
  private ticket: LockTicket | undefined;
  /** The release of a several-id plan. */
  private unlock: Unlock | undefined;
  private releaseLater = false;
  private holding = false;
  private held: T | undefined;

  /** A run of `plan` for `subscriber`; nothing happens before `start()`. */
  constructor(
    private readonly ctx: StoreContext,
    private readonly subscriber: Subscriber<T>,
    private readonly plan: Plan<T>,
  ) {}

  /**
   * Requests the locks (or starts at once: a read of a free id, a plan without ids).
   * @returns the teardown for rxjs: this run while it is queued, else nothing
   */
  start(): Unsubscribable | undefined {
    const { ctx, plan } = this;
    const ids = plan.ids ?? NO_IDS;
    const mode = plan.mode ?? 'write';
    ctx.life.inflight++;
    if (ids.length === 1) {
      const id = ids[0]!;
      if ((mode === 'read' || plan.startsUnlocked === true) && ctx.locks.isFree(id)) {
        // a read (or a write that runs no caller code, see Plan.startsUnlocked) of an id nobody
        // holds or waits for starts at once; only if it is still running when subscribe returns
        // (an asynchronous backing) does it register its lock, which is the same order a queued
        // request would have had: nothing ran in between
        this.granted();
        if (this.phase !== RUNNING) return undefined;
      }
      this.ticket = ctx.locks.request(id, mode, this);
      if (this.releaseLater) ctx.locks.release(this.ticket);
    } else if (ids.length > 1) {
      this.unlock = ctx.locks.acquireAll(ids, mode, this);
      if (this.releaseLater) this.unlock();
    } else {
      this.granted();
    }
    // only a queued run needs to hear of an unsubscribe (a started one finishes regardless)
    return this.phase === WAITING ? this : undefined;
  }

  /** The locks are granted: run the plan (a no-op when the run already started or was left). */
  granted(): void {
    if (this.phase !== WAITING) return;
    this.phase = RUNNING;
    const { plan } = this;
    const direct = this.direct();
    if (direct && isCallPlan(plan)) return this.call(plan);
    let done: MaybePromise<void>;
    try {
      done = runFlow(direct ? flowOf(plan, this) : crossProcess(this.ctx, plan, this));
    } catch (e) {
      return this.settle(true, e);
    }
    this.settleWhen(done);
  }

  /** The subscriber left: if still queued, the work never starts, so nothing is half-done. */
  unsubscribe(): void {
    if (this.phase !== WAITING) return;
    this.phase = DONE;
    this.release();
    this.plan.finalize?.();
    leave(this.ctx);
  }

  /** {@inheritDoc Sink.emit} */
  emit(value: T): void {
    if (this.holding) this.subscriber.next(this.held!);
    this.holding = true;
    this.held = value;
  }

  /** {@inheritDoc Sink.stopped} */
  stopped(): boolean {
    return this.subscriber.closed;
  }

  /** {@inheritDoc Sink.flush} */
  flush(): void {
    if (!this.holding) return;
    const v = this.held!;
    this.holding = false;
    this.held = undefined;
    this.subscriber.next(v);
  }

  /** True unless the plan is a write over a backing with cross-process locks, which runs under them. */
  private direct(): boolean {
    const { ctx, plan } = this;
    return (plan.mode ?? 'write') === 'read' || (plan.ids ?? NO_IDS).length === 0 || ctx.backing.lock === undefined;
  }

  /** Makes a call plan's backing call and hands its answer on: one reaction when the answer is a promise. */
  private call(plan: CallPlan<T, unknown>): void {
    let answer: MaybePromise<unknown>;
    try {
      answer = plan.call();
    } catch (e) {
      return this.settle(true, ioError(e, plan.key));
    }
    if (isThenable(answer))
      answer.then(
        (a) => this.answered(a),
        (e: unknown) => this.settle(true, ioError(e, this.plan.key)),
      );
    else this.answered(answer);
  }

  private answered(answer: unknown): void {
    let done: MaybePromise<void>;
    try {
      done = (this.plan as CallPlan<T, unknown>).answered(answer, this);
    } catch (e) {
      return this.settle(true, e);
    }
    this.settleWhen(done);
  }

  /** Settles when `done` does (at once when it is no promise). */
  private settleWhen(done: MaybePromise<void>): void {
    if (isThenable(done))
      done.then(
        () => this.settle(false, undefined),
        (e: unknown) => this.settle(true, e),
      );
    else this.settle(false, undefined);
  }

  private settle(failed: boolean, error: unknown): void {
    this.phase = DONE;
    // deliver before releasing, so the next operation on the key runs after this result is seen
    this.flush();
    if (failed) this.subscriber.error(error);
    else this.subscriber.complete();
    this.release();
    this.plan.finalize?.();
    leave(this.ctx);
  }

  private release(): void {
    if (this.ticket !== undefined) this.ctx.locks.release(this.ticket);
    else if (this.unlock !== undefined) this.unlock();
    // settled inside the lock request, before it returned its ticket or release: start() releases
    else this.releaseLater = true;
  }
}

/** A write plan under the backing's cross-process locks, or without them when it can be checked in one step. */
function* crossProcess<T>(ctx: StoreContext, plan: Plan<T>, out: Sink<T>): Flow<void> {
  if (plan.runUnlocked !== undefined && (yield* plan.runUnlocked(out))) return;
  yield* withBackingLocks(ctx, plan.ids!, plan.key, asFlow(plan, out));
}

/** A plan's work as it comes: a flow plan's flow or `MaybePromise`, a call plan as a flow. */
function flowOf<T>(plan: Plan<T>, out: Sink<T>): Flow<void> | MaybePromise<void> {
  return isCallPlan(plan) ? callFlow(plan, out) : plan.run(out);
}

function* asFlow<T>(plan: Plan<T>, out: Sink<T>): Flow<void> {
  const work = flowOf(plan, out);
  if (isFlow(work)) return yield* work;
  yield* wait(work);
}

/** A call plan as a flow, for where it runs inside another (under the backing's cross-process locks, say). */
export function* callFlow<T>(plan: CallPlan<T, unknown>, out: Sink<T>): Flow<void> {
  const answer = yield* io(plan.key, () => plan.call());
  yield* wait(plan.answered(answer, out));
}

function leave(ctx: StoreContext): void {
  ctx.life.inflight--;
  if (ctx.life.inflight === 0) ctx.life.idle?.();
}
