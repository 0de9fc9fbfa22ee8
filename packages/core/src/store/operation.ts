/**
 * The one place every Store operation goes through: cold Observables that check the lifecycle,
 * prepare synchronously at subscribe (validation, encoding: so later mutation of arguments
 * cannot change what is written), take the per-key locks in subscription order, run a flow,
 * and never leave a started write half-done when the subscriber leaves.
 */
import { Observable } from 'rxjs';
import type { MaybePromise } from '../backing';
import { closed } from '../errors';
import { isThenable, runFlow, wait, type Flow } from '../internal/flow';
import type { LockMode, Unlock } from '../internal/locks';
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
    const mode = plan.mode ?? 'write';
    ctx.life.inflight++;
    let phase: 'waiting' | 'running' | 'done' = 'waiting';
    let unlock: Unlock | undefined;
    let releaseLater = false;
    // the latest value is held back one step, so a single result is delivered together with
    // completion and lock release: once a subscriber sees it, the operation is really over
    let held: { v: T } | undefined;
    const emit = (v: T): void => {
      if (held) subscriber.next(held.v);
      held = { v };
    };
    const settle = (error?: { e: unknown }): void => {
      phase = 'done';
      if (held) subscriber.next(held.v);
      // deliver before releasing, so the next operation on the key runs after this result is seen
      if (error) subscriber.error(error.e);
      else subscriber.complete();
      if (unlock) unlock();
      else releaseLater = true;
      leave(ctx);
    };
    const begin = (): void => {
      if (phase !== 'waiting') return;
      phase = 'running';
      let result: unknown;
      try {
        const stopped = (): boolean => subscriber.closed;
        if (mode === 'write' && ids.length > 0 && ctx.backing.lock !== undefined) {
          result = runFlow(withBackingLocks(ctx, ids, plan.key, asFlow(() => plan.run(emit, stopped))));
        } else {
          const work = plan.run(emit, stopped);
          result = isFlow(work) ? runFlow(work) : work;
        }
      } catch (e) {
        return settle({ e });
      }
      if (isThenable(result)) result.then(() => settle(), (e: unknown) => settle({ e }));
      else settle();
    };
    const ids = plan.ids ?? [];
    if (mode === 'read' && ids.length === 1 && ctx.locks.isFree(ids[0]!)) {
      // a read of an id nobody holds or waits for starts at once; only if it is still running
      // when subscribe returns (an asynchronous backing) does it register its read lock, which
      // is the same order a queued request would have had: nothing ran in between
      begin();
      if ((phase as string) === 'running') unlock = ctx.locks.acquire(ids[0]!, 'read', noop);
    } else {
      unlock = ids.length > 0 ? ctx.locks.acquireAll(ids, mode, begin) : (begin(), undefined);
      if (releaseLater) unlock?.();
    }
    return () => {
      if (phase !== 'waiting') return;
      // left while still queued: the work never starts, so nothing is half-done
      phase = 'done';
      unlock?.();
      leave(ctx);
    };
  });
}

function* asFlow(start: () => Flow<void> | MaybePromise<void>): Flow<void> {
  const work = start();
  if (isFlow(work)) return yield* work;
  yield* wait(work);
}

function isFlow(x: unknown): x is Flow<void> {
  return typeof x === 'object' && x !== null && typeof (x as Flow<void>).next === 'function' && typeof (x as Flow<void>).throw === 'function';
}

function noop(): void {}

function leave(ctx: StoreContext): void {
  ctx.life.inflight--;
  if (ctx.life.inflight === 0) ctx.life.idle?.();
}
