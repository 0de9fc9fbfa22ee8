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

/** The recorder behind a latency backing's `stats$` and `summary()`. */
export interface TimingRecorder {
  /** Emits each operation's timing when it finishes; completes on `complete()`. */
  readonly stats$: Observable<OpTiming>;
  /** Adds one timing and emits it. */
  record(timing: OpTiming): void;
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
    record(timing) {
      let run = runs.get(timing.op);
      if (run === undefined) runs.set(timing.op, (run = { durations: [], sampled: 0, failed: 0 }));
      run.durations.push(timing.durationMs);
      run.sampled += timing.latencyMs;
      if (!timing.ok) run.failed += 1;
      // Without subscribers, skip next(): rxjs allocates a closure per emission.
      if (subject.observed) subject.next(timing);
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
