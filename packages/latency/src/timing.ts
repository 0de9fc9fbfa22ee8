/** Records the timing of every delayed operation: a hot stream and a running summary. */
import { Subject, type Observable } from 'rxjs';
import type { BackingOp } from './ops';
import { summarize, type DistributionSummary } from './percentiles';

/** The timing of one finished backing operation. */
export interface OpTiming {
  /** The operation. */
  op: BackingOp;
  /** The blob id, for operations on one blob. */
  id?: string;
  /** The sampled delay in milliseconds. */
  latencyMs: number;
  /** The measured time from the call until the result, in milliseconds of the scheduler's clock. */
  durationMs: number;
  /** False when the operation failed (injected or from the inner backing). */
  ok: boolean;
  /** True when the failure was injected (`ERR_SIMULATED_FAILURE`). */
  simulated: boolean;
}

/** The summary of one operation kind: measured durations, failures and the mean sampled delay. */
export interface OpSummary extends DistributionSummary {
  /** How many of the calls failed. */
  failed: number;
  /** The mean of the sampled delays, to compare with the measured `mean`. */
  sampledMean: number;
}

/** Per-operation summaries of the operations that ran so far. */
export type LatencySummary = Partial<Record<BackingOp, OpSummary>>;

/**
 * Adds one finished operation's timing. Plain arguments, not an {@link OpTiming}: the object is
 * built only when someone subscribes to `stats$`, so an unobserved backing allocates nothing per call.
 */
export type RecordTiming = (op: BackingOp, id: string | undefined, latencyMs: number, durationMs: number, ok: boolean, simulated: boolean) => void;

/** The recorder behind a latency backing's `stats$` and `summary()`. */
export interface TimingRecorder {
  /** Emits each operation's timing when it finishes; completes on `complete()`. */
  readonly stats$: Observable<OpTiming>;
  /** Adds one timing and emits it (as an {@link OpTiming}) to `stats$` subscribers. */
  readonly record: RecordTiming;
  /** Summarises every recorded timing, per operation. */
  summary(): LatencySummary;
  /** Completes `stats$`. */
  complete(): void;
}

/**
 * Creates an empty recorder. It keeps every duration (one number per operation) for exact percentiles.
 * @returns the recorder
 */
export function createTimingRecorder(): TimingRecorder {
  const subject = new Subject<OpTiming>();
  const runs = new Map<BackingOp, { durations: number[]; sampled: number; failed: number }>();
  return {
    stats$: subject.asObservable(),
    record(op, id, latencyMs, durationMs, ok, simulated) {
      let run = runs.get(op);
      if (run === undefined) runs.set(op, (run = { durations: [], sampled: 0, failed: 0 }));
      run.durations.push(durationMs);
      run.sampled += latencyMs;
      if (!ok) run.failed += 1;
      // Without subscribers, no timing object and no next(): rxjs allocates a closure per emission.
      if (subject.observed) subject.next(timingOf(op, id, latencyMs, durationMs, ok, simulated));
    },
    summary() {
      const out: LatencySummary = {};
      for (const [op, run] of runs) {
        const s = summarize(run.durations);
        out[op] = { ...s, failed: run.failed, sampledMean: s.count === 0 ? 0 : run.sampled / s.count };
      }
      return out;
    },
    complete: () => subject.complete(),
  };
}

function timingOf(op: BackingOp, id: string | undefined, latencyMs: number, durationMs: number, ok: boolean, simulated: boolean): OpTiming {
  const timing: OpTiming = { op, latencyMs, durationMs, ok, simulated };
  if (id !== undefined) timing.id = id;
  return timing;
}
