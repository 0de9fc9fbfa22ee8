/** The store-versus-baseline comparison: alternating rounds, medians, and the ratio. */
import { baselineDelays, runBaseline } from './baseline';
import type { BenchConfig } from './config';
import { collectGarbage } from './gc';
import type { BenchResult } from './report';
import { summarizeRun } from './stats';
import type { StoreMeasurement } from './run';
import type { RunResult, WorkOp } from './workload';

/** The wall times of one round: the store run and the baseline run right after it. */
export interface Round {
  /** Store wall time in milliseconds. */
  storeMs: number;
  /** Baseline wall time in milliseconds. */
  baselineMs: number;
}

/** Measures one store run on a fresh target. */
export type MeasureStore = (config: BenchConfig, ops: readonly WorkOp[]) => Promise<StoreMeasurement>;

/**
 * Runs `config.rounds` rounds of store run then baseline run (the first store run is `first`,
 * already measured), and sets `baseline`, `rounds` and `ratio` (median store / median baseline) on `result`.
 * Alternating rounds and medians keep one noisy moment on a shared machine from deciding the ratio;
 * a full GC before every run keeps one side from paying for the other's garbage.
 * @param config - the settings
 * @param ops - the workload
 * @param first - the already measured first store run, or `undefined` to measure it here
 * @param result - the result to complete, or `undefined` for a warm-up
 * @param measure - measures one more store run
 * @param say - progress messages
 * @returns a promise of the first baseline run (for the chart)
 */
export async function compareWithBaseline(
  config: BenchConfig,
  ops: readonly WorkOp[],
  first: RunResult | undefined,
  result: BenchResult | undefined,
  measure: MeasureStore,
  say: (text: string) => void = () => undefined,
): Promise<RunResult> {
  const delays = baselineDelays(config, ops);
  const rounds: Round[] = [];
  let firstBaseline: RunResult | undefined;
  for (let r = 0; r < Math.max(1, config.rounds); r++) {
    collectGarbage();
    const store = r === 0 && first ? first : (await measure(config, ops)).raw;
    say(`round ${r + 1}/${config.rounds}: Promise + setTimeout baseline with the same delays...`);
    collectGarbage();
    const baseline = await runBaseline(ops, delays, config.concurrency);
    firstBaseline ??= baseline;
    rounds.push({ storeMs: store.wallMs, baselineMs: baseline.wallMs });
  }
  if (result) {
    result.baseline = summarizeRun('Promise + setTimeout baseline', firstBaseline as RunResult);
    result.rounds = rounds;
    result.ratio = median(rounds.map((r) => r.storeMs)) / median(rounds.map((r) => r.baselineMs));
  }
  return firstBaseline as RunResult;
}

/** The median of numbers (the upper one of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
