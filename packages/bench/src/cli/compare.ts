/** The store-versus-baseline comparison: a block of store runs, a block of baseline runs, medians, and the ratio. */
import { median } from '../median';
import { baselineDelays, runBaseline } from './baseline';
import type { BenchConfig } from './config';
import type { BenchResult } from './report';
import { summarizeRun } from './stats';
import type { MeasureStore, RunResult, WorkOp } from './workload';

/**
 * Measures `config.rounds` store runs (the first is `first`, already measured), then as many
 * baseline runs, and sets `baseline`, `rounds` and `ratio` (median store / median baseline) on
 * `result`. Runs of one kind go back to back: a run right after the other kind pays for that
 * kind's garbage (a 10 ms baseline takes 20-50 ms right after a store run), and the median drops
 * the first run of each block.
 * @param config - the settings
 * @param ops - the workload
 * @param first - the already measured first store run, or `undefined` to measure it here
 * @param result - the result to complete, or `undefined` for a warm-up
 * @param measure - measures one more store run
 * @param say - progress messages
 * @returns a promise of the last baseline run (for the chart)
 */
export async function compareWithBaseline(
  config: BenchConfig,
  ops: readonly WorkOp[],
  first: RunResult | undefined,
  result: BenchResult | undefined,
  measure: MeasureStore,
  say: (text: string) => void = () => undefined,
): Promise<RunResult> {
  const count = Math.max(1, config.rounds);
  const storeMs: number[] = first ? [first.wallMs] : [];
  while (storeMs.length < count) {
    say(`baseline: store run ${storeMs.length + 1}/${count}...`);
    storeMs.push((await measure(config, ops)).raw.wallMs);
  }
  const delays = baselineDelays(config, ops);
  const baselines: RunResult[] = [];
  while (baselines.length < count) {
    say(`baseline: Promise + setTimeout run ${baselines.length + 1}/${count} with the same delays...`);
    baselines.push(await runBaseline(ops, delays, config.concurrency));
  }
  const last = baselines[baselines.length - 1] as RunResult;
  if (result) {
    result.baseline = summarizeRun('Promise + setTimeout baseline', last);
    result.rounds = storeMs.map((ms, i) => ({ storeMs: ms, baselineMs: (baselines[i] as RunResult).wallMs }));
    result.ratio = median(storeMs) / median(baselines.map((b) => b.wallMs));
  }
  return last;
}
