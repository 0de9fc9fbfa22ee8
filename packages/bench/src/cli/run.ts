/** One benchmark run from config to result, in the phases `--help` lists: warm-up, preload, measure, baseline, floor. */
import { openTarget } from './backends';
import { compareWithBaseline } from './compare';
import { measureFloor } from './floor';
import { percentileCheck } from './fidelity';
import type { BenchConfig } from './config';
import { createProgress, type Progress, type ProgressStream } from '../progress';
import type { BenchResult } from './report';
import { summarizeRun } from './stats';
import type { ChartSeries } from './svg';
import { createWorkload, preload, runStoreWorkload, type StoreMeasurement, type WorkOp } from './workload';

/** What a run produced: the JSON result and the samples to chart. */
export interface BenchOutcome {
  /** The result written as JSON. */
  result: BenchResult;
  /** The latency samples of each series, for the chart. */
  series: ChartSeries[];
}

/**
 * Runs the configured benchmark.
 * @param config - the parsed settings
 * @param stderr - where progress goes (when `config.progress`)
 * @returns a promise of the outcome
 */
export async function runBenchmark(config: BenchConfig, stderr: ProgressStream): Promise<BenchOutcome> {
  const say = (text: string): void => void (config.progress && stderr.write(`${text}\n`));
  const date = new Date().toISOString();
  if (config.warmup > 0) {
    say(`warm-up: ${config.warmup} untimed operations on a throwaway store...`);
    await warmUp(config);
  }
  const ops = createWorkload(config);
  let progress: Progress | undefined;
  // The bar starts after the untimed preload, so its rate is the measured run's.
  const onStart = (): void => void (progress = config.progress ? createProgress({ total: ops.length, stream: stderr, label: config.backend }) : undefined);
  const onEnd = (): void => progress?.done();
  const { raw, backing } = await measureStore(config, ops, { onStart, onSettled: () => progress?.tick(), onEnd }, say);
  const result: BenchResult = {
    tool: 'konserve-rx-bench',
    version: 1,
    date,
    node: process.version,
    config,
    store: summarizeRun(`konserve-rx ${config.backend} store`, raw),
  };
  const fidelity = config.backend === 'latency' && config.failureRate === 0 ? percentileCheck(config.latency, config.concurrency, result.store) : undefined;
  if (fidelity) result.fidelity = fidelity;
  if (backing) {
    result.backing = backing;
    result.backingCallsPerOp = Object.values(backing).reduce((n, s) => n + (s?.count ?? 0), 0) / ops.length;
  }
  const series: ChartSeries[] = [
    { name: 'store get', samples: raw.latencies.get },
    { name: 'store assoc', samples: raw.latencies.assoc },
  ];
  if (config.compareBaseline) {
    const base = await compareWithBaseline(config, ops, raw, result, (cfg, work) => measureStore(cfg, work), say);
    series.push({ name: 'baseline (all)', samples: [...base.latencies.get, ...base.latencies.assoc] });
    result.floor = await measureFloor(config, say);
  }
  return { result, series };
}

/**
 * Opens a fresh target, preloads every key (untimed), runs the workload, and closes the target.
 * @param config - the settings
 * @param ops - the workload
 * @param hooks - `onStart` after the preload, `onSettled` after each operation, `onEnd` after the last
 * @param say - progress messages
 * @returns a promise of the measurement
 */
export async function measureStore(
  config: BenchConfig,
  ops: readonly WorkOp[],
  hooks: { onStart?: () => void; onSettled?: () => void; onEnd?: () => void } = {},
  say?: (t: string) => void,
): Promise<StoreMeasurement> {
  const target = await openTarget(config);
  try {
    say?.(`preload: writing ${config.keys} keys (untimed)...`);
    await preload(target.preloadStore, config);
    say?.(`measure: ${ops.length} operations on the ${config.backend} store...`);
    hooks.onStart?.();
    const raw = await runStoreWorkload(target.store, ops, { ...config, ...(hooks.onSettled ? { onSettled: hooks.onSettled } : {}) });
    hooks.onEnd?.();
    return target.backing ? { raw, backing: target.backing.summary() } : { raw };
  } finally {
    await target.close();
  }
}

/** Runs a short untimed workload on a fresh target (and the baseline), so JIT compilation is not measured. */
async function warmUp(config: BenchConfig): Promise<void> {
  const warm: BenchConfig = { ...config, ops: config.warmup, keys: Math.min(config.keys, config.warmup), seed: config.seed + 1, path: undefined, rounds: 1 };
  const ops = createWorkload(warm);
  await measureStore(warm, ops);
  if (config.compareBaseline) await compareWithBaseline(warm, ops, undefined, undefined, measureStore);
}
