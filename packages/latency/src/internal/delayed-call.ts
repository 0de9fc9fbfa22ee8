/** Runs one backing call after its sampled delay, and records how long it took. */
import type { MaybePromise } from '@konserve-rx/core';
import type { SchedulerLike } from 'rxjs';
import type { Delay } from './delay-queue';
import { simulatedFailure } from '../failures';
import type { BackingOp } from '../ops';
import type { OpTiming } from '../timing';
import { isPromiseLike } from './maybe-promise';

/** Everything one delayed call needs; the delay and the failure are decided by the caller. */
export interface DelayedCall<T> {
  /** The clock of the measured duration. */
  readonly scheduler: SchedulerLike;
  /** Waits on the scheduler (shared per backing). */
  readonly delay: Delay;
  /** The operation, for timings and errors. */
  readonly op: BackingOp;
  /** The blob id, when the operation has one. */
  readonly id: string | undefined;
  /** The sampled delay in milliseconds. */
  readonly latencyMs: number;
  /** Whether this call fails with `ERR_SIMULATED_FAILURE` instead of delegating. */
  readonly fail: boolean;
  /** The delegation to the inner backing. */
  readonly run: () => MaybePromise<T>;
  /** Receives the timing once the call settles. */
  readonly record: (timing: OpTiming) => void;
}

/**
 * Waits `latencyMs` on the scheduler's clock, then fails (without calling `run`) or delegates.
 * Delegating after the delay, not before, is what lets concurrent writes reach the inner
 * backing out of order, like requests racing to a remote server.
 * @param call - the operation, its delay, and the delegation
 * @returns a promise of the inner result; the timing is recorded before it settles
 */
export function delayedCall<T>(call: DelayedCall<T>): Promise<T> {
  const start = call.scheduler.now();
  return new Promise<T>((resolve, reject) => {
    call.delay(start, call.latencyMs, () => {
      // Recording synchronously inside the scheduled action keeps `stats$` in virtual time
      // under TestScheduler (a promise callback would run only after the flush).
      const finish = (ok: boolean): void => call.record(timingOf(call, start, ok));
      if (call.fail) {
        finish(false);
        reject(simulatedFailure(call.op, call.id));
        return;
      }
      let result: MaybePromise<T>;
      try {
        result = call.run();
      } catch (error) {
        finish(false);
        reject(error);
        return;
      }
      if (!isPromiseLike(result)) {
        finish(true);
        resolve(result);
        return;
      }
      result.then(
        (value) => { finish(true); resolve(value); },
        (error: unknown) => { finish(false); reject(error); },
      );
    });
  });
}

function timingOf(call: DelayedCall<unknown>, start: number, ok: boolean): OpTiming {
  const timing: OpTiming = {
    op: call.op,
    latencyMs: call.latencyMs,
    durationMs: call.scheduler.now() - start,
    ok,
    simulated: call.fail,
  };
  if (call.id !== undefined) timing.id = call.id;
  return timing;
}
