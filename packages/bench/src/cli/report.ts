/** The benchmark's outputs: the JSON result, the markdown table, and the files on disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DistributionSummary, LatencySpec, LatencySummary } from '@konserve-rx/latency';
import type { BenchConfig } from './config';
import { median } from '../median';
import type { FloorResult } from './floor';
import type { RunStats } from './stats';

/** The ratio the store stack must stay under, versus the Promise baseline. */
export const TARGET_RATIO = 2;

/** The wall times of the i-th store run and the i-th baseline run. */
export interface Round {
  /** Store wall time in milliseconds. */
  storeMs: number;
  /** Baseline wall time in milliseconds. */
  baselineMs: number;
}

/** Everything one benchmark run measured; written as JSON. */
export interface BenchResult {
  /** Always `'konserve-rx-bench'`. */
  tool: 'konserve-rx-bench';
  /** The result format version. */
  version: 1;
  /** When the run started (ISO 8601). */
  date: string;
  /** The Node.js version. */
  node: string;
  /** The settings of the run. */
  config: BenchConfig;
  /** The measured store run. */
  store: RunStats;
  /** The latency backing's per-operation timings, for the latency backend. */
  backing?: LatencySummary;
  /** Backing calls per store operation, for the latency backend (1 means no extra round trips). */
  backingCallsPerOp?: number;
  /** The Promise + setTimeout run with the same delays, with `--compare-baseline`. */
  baseline?: RunStats;
  /** The wall times of each comparison round, with `--compare-baseline`. */
  rounds?: Round[];
  /** Median store wall time / median baseline wall time over the rounds, with `--compare-baseline`. */
  ratio?: number;
  /** The same workload without simulated latency (0 ms delays, and the bare memory store), with `--compare-baseline`. */
  floor?: FloorResult;
}

/**
 * Formats the result as markdown: a heading, a table of throughput and latency per run and op, and the ratio.
 * @param result - the measured result
 * @returns markdown text
 */
export function markdownReport(result: BenchResult): string {
  const { config } = result;
  const lines = [
    `## konserve-rx-bench: ${config.backend} backend, ${describeRun(config)}`,
    '',
    '| run | op | count | ops/s | mean ms | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runRows('store', result.store),
    ...(result.baseline ? runRows('baseline', result.baseline) : []),
  ];
  const failed = Object.entries(result.store.errors).map(([code, n]) => `${n} × ${code}`);
  if (failed.length > 0) lines.push('', `Failed operations: ${failed.join(', ')}.`);
  if (result.backingCallsPerOp !== undefined) lines.push('', `Backing calls per store operation: ${result.backingCallsPerOp.toFixed(2)}.`);
  if (result.rounds && result.ratio !== undefined) lines.push('', ratioLine(result.rounds, result.ratio, config.ops));
  if (result.rounds && result.floor) lines.push('', floorLine(result.floor, median(result.rounds.map((r) => r.baselineMs)), config.ops));
  return `${lines.join('\n')}\n`;
}

function runRows(run: string, stats: RunStats): string[] {
  const kinds: Array<[string, DistributionSummary]> = [
    ['get', stats.byKind.get],
    ['assoc', stats.byKind.assoc],
    ['all', stats.all],
  ];
  return kinds
    .filter(([name, s]) => s.count > 0 || name === 'all')
    .map(([name, s]) => {
      const rate = stats.wallMs > 0 ? Math.round((s.count * 1000) / stats.wallMs).toLocaleString('en-US') : '-';
      const cells = [s.mean, s.p50, s.p95, s.p99, s.max].map(ms);
      return `| ${run} | ${name} | ${s.count} | ${rate} | ${cells.join(' | ')} |`;
    });
}

function ratioLine(rounds: readonly Round[], ratio: number, ops: number): string {
  const verdict = ratio <= TARGET_RATIO ? 'within' : 'ABOVE';
  const each = rounds.map((r) => `${ms(r.storeMs)}/${ms(r.baselineMs)}`).join(', ');
  const store = median(rounds.map((r) => r.storeMs));
  const baseline = median(rounds.map((r) => r.baselineMs));
  const perOpUs = ((store - baseline) * 1000) / ops;
  return (
    `Wall time, median of ${rounds.length} run(s) each: store ${ms(store)} ms / baseline ${ms(baseline)} ms = ` +
    `**${ratio.toFixed(2)}×** (${verdict} the target of ≤ ${TARGET_RATIO}); the store adds ${perOpUs.toFixed(1)} µs per operation. ` +
    `Runs, store/baseline ms: ${each}.`
  );
}

function floorLine(floor: FloorResult, baselineMs: number, ops: number): string {
  const perOp = (wallMs: number): string => `${((wallMs * 1000) / ops).toFixed(1)} µs per operation`;
  const reach = floor.zeroLatencyMs <= TARGET_RATIO * baselineMs ? 'below' : 'above';
  return (
    `No-latency floor, median of ${floor.runs.zeroLatencyMs.length} run(s) each: the same store stack with 0 ms delays ` +
    `${ms(floor.zeroLatencyMs)} ms (${perOp(floor.zeroLatencyMs)}), the bare synchronous memory store ${ms(floor.memoryMs)} ms ` +
    `(${perOp(floor.memoryMs)}); ${TARGET_RATIO}× the baseline is ${ms(TARGET_RATIO * baselineMs)} ms, so the floor alone is ${reach} the target.`
  );
}

/**
 * The settings a reader needs to compare two runs, for the report heading and the chart title.
 * @param config - the run's settings
 * @returns e.g. `10000 ops, concurrency 64, uniform 0–5 ms` (the latency only for the latency backend)
 */
export function describeRun(config: Pick<BenchConfig, 'ops' | 'concurrency' | 'backend' | 'latency'>): string {
  const conc = config.concurrency === 0 ? 'no concurrency cap' : `concurrency ${config.concurrency}`;
  return `${config.ops} ops, ${conc}` + (config.backend === 'latency' ? `, ${describeLatency(config.latency)}` : '');
}

/** A short description of a latency setting, e.g. `uniform 0–5 ms`. */
export function describeLatency(spec: LatencySpec): string {
  if (typeof spec === 'number') return `fixed ${spec} ms`;
  if (typeof spec === 'function') return 'custom latency';
  switch (spec.distribution) {
    case 'fixed':
      return `fixed ${spec.ms} ms`;
    case 'uniform':
      return `uniform ${spec.min}–${spec.max} ms`;
    case 'normal':
      return `normal mean ${spec.mean} ms, stddev ${spec.stddev} ms`;
    case 'exponential':
      return `exponential mean ${spec.mean} ms`;
    case 'lognormal':
      return 'median' in spec ? `lognormal median ${spec.median} ms, p99 ${spec.p99} ms` : `lognormal mu ${spec.mu}, sigma ${spec.sigma}`;
  }
}

/**
 * Writes `<name>.json` and `<name>.svg` into `dir`, creating it if needed.
 * @param dir - the output folder
 * @param name - the file name without extension
 * @param result - the JSON result
 * @param svg - the chart
 * @returns the paths written
 */
export function writeResults(dir: string, name: string, result: BenchResult, svg: string): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, `${name}.json`), svg: join(dir, `${name}.svg`) };
  writeFileSync(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(paths.svg, svg);
  return paths;
}

function ms(x: number): string {
  return x.toFixed(2);
}
