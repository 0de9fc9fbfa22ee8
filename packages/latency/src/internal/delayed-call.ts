/** Runs one backing call after its sampled delay, and records how long it took. */
import { isThenable, simulatedFailure, type MaybePromise } from '@konserve-rx/core';
import type { SchedulerLike } from 'rxjs';
import type { Delay, DelayedTask } from './delay-queue';
import type { BackingOp } from '../ops';
import type { RecordTiming } from '../timing';

/** What every delayed call of one backing shares. */
export interface CallSetting {
  /** The clock of the measured duration. */
  readonly scheduler: SchedulerLike;
  /** Waits on the scheduler (shared per backing). */
  readonly delay: Delay;
  /** Receives the timing once a call settles. */
  readonly record: RecordTiming;
}

/**
 * The delegation to the inner backing, given the call's blob id and argument. Passing the
 * argument (the bytes of a write, say) next to a delegate made once per backing saves a closure
 * per call, which stays alive for the whole delay.
 */
export type Delegate<A, T> = (id: string | undefined, arg: A) => MaybePromise<T>;

/**
 * Waits `latencyMs` on the scheduler's clock, then fails (without calling `run`) or delegates.
 * Delegating after the delay, not before, is what lets concurrent writes reach the inner
 * backing out of order, like requests racing to a remote server.
 * @param setting - scheduler, delay queue and timing recorder of the backing
 * @param op - the operation, for timings and errors
 * @param id - the blob id, when the operation has one
 * @param latencyMs - the sampled delay in milliseconds
 * @param fail - whether this call fails with `ERR_SIMULATED_FAILURE` instead of delegating
 * @param run - the delegation to the inner backing
 * @param arg - the argument `run` receives after `id`
 * @returns a promise of the inner result; the timing is recorded before it settles
 */
export function delayedCall<A, T>(
  setting: CallSetting,
  op: BackingOp,
  id: string | undefined,
  latencyMs: number,
  fail: boolean,
  run: Delegate<A, T>,
  arg: A,
): Promise<T> {
  const call = new PendingCall(setting, op, id, latencyMs, fail, run, arg);
  const promise = new Promise<T>(capture);
  call.resolve = captured.resolve as (value: T) => void;
  call.reject = captured.reject;
  // emptied at once: left there, the slot would keep this call's promise, and through it the
  // backing and every call still waiting on it, alive after the backing was dropped
  captured.resolve = noop;
  captured.reject = noop;
  setting.delay(call.start, latencyMs, call);
  return promise;
}

// One executor for every call: it hands the settle functions over through this slot instead of
// being a new closure per call (the executor runs synchronously inside `new Promise`).
const captured: { resolve: (value: never) => void; reject: (error: unknown) => void } = { resolve: noop, reject: noop };
function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

function noop(): void {}

/** One call waiting in the delay queue: all its state in one object, no closures. */
class PendingCall<A, T> implements DelayedTask {
  readonly start: number;
  resolve: (value: T) => void = noop;
  reject: (error: unknown) => void = noop;

  constructor(
    private readonly setting: CallSetting,
    private readonly op: BackingOp,
    private readonly id: string | undefined,
    private readonly latencyMs: number,
    private readonly fail: boolean,
    private readonly run: Delegate<A, T>,
    private readonly arg: A,
  ) {
    this.start = setting.scheduler.now();
  }

  fire(): void {
    // Recording synchronously inside the scheduled action keeps `stats$` in virtual time
    // under TestScheduler (a promise callback would run only after the flush).
    if (this.fail) {
      this.finish(false);
      this.reject(simulatedFailure(this.op, this.id));
      return;
    }
    let result: MaybePromise<T>;
    try {
      result = this.run(this.id, this.arg);
    } catch (error) {
      this.finish(false);
      this.reject(error);
      return;
    }
    if (!isThenable(result)) {
      this.finish(true);
      this.resolve(result);
      return;
    }
    result.then(
      (value) => {
        this.finish(true);
        this.resolve(value);
      },
      (error: unknown) => {
        this.finish(false);
        this.reject(error);
      },
    );
  }

  private finish(ok: boolean): void {
    this.setting.record(this.op, this.id, this.latencyMs, this.setting.scheduler.now() - this.start, ok, this.fail);
  }
}
