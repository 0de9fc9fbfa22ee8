/** The benchmark's outputs: the JSON result, the markdown table, and the files on disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DistributionSummary, LatencySpec, LatencySummary } from '@konserve-rx/latency';
import type { BenchConfig } from './config';
import { median } from '../median';
import { ASYNC_PATH_GOAL_US, FLOOR_CONTENDERS, FLOOR_LABELS, WRAPPER_GOAL_US, type FloorResult } from './floor';
import { FIDELITY_IN_FLIGHT, FIDELITY_TOLERANCE_MS, PERCENTILES, RATIO_GOAL, RATIO_IN_FLIGHT, ratioCheckApplies, type PercentileCheck } from './fidelity';
import type { RunStats } from './stats';

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
  /** What the asynchronous path and the latency wrapper cost per operation when nothing waits, with `--compare-baseline`. */
  floor?: FloorResult;
  /** The store's percentiles against the distribution's own, for a latency run with at most 100 in flight. */
  fidelity?: PercentileCheck;
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
  if (result.fidelity) lines.push('', fidelityLine(result.fidelity));
  if (result.rounds && result.ratio !== undefined) lines.push('', ratioLine(result.rounds, result.ratio, config.ops, config.concurrency));
  if (result.floor) lines.push('', floorTable(result.floor));
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

function fidelityLine(check: PercentileCheck): string {
  const each = PERCENTILES.map((p) => `${p} ${ms(check.observed[p])} ms vs ${ms(check.expected[p])} ms`).join(', ');
  return (
    `Simulator fidelity (at most ${FIDELITY_IN_FLIGHT} in flight): the store's percentiles against the distribution's own, ${each}; ` +
    `every one within ${FIDELITY_TOLERANCE_MS} ms: **${check.met ? 'met' : 'missed'}**.`
  );
}

function ratioLine(rounds: readonly Round[], ratio: number, ops: number, concurrency: number): string {
  const each = rounds.map((r) => `${ms(r.storeMs)}/${ms(r.baselineMs)}`).join(', ');
  const store = median(rounds.map((r) => r.storeMs));
  const baseline = median(rounds.map((r) => r.baselineMs));
  const perOpUs = ((store - baseline) * 1000) / ops;
  const verdict = ratioCheckApplies(concurrency)
    ? ` Against Promise + setTimeout (at most ${RATIO_IN_FLIGHT} in flight, ≤ ${RATIO_GOAL}×): **${ratio <= RATIO_GOAL ? 'met' : 'missed'}**.`
    : ` (No goal with more than ${RATIO_IN_FLIGHT} in flight: the store's own CPU cost, not the simulator, sets the pace.)`;
  return (
    `Wall time, median of ${rounds.length} run(s) each: store ${ms(store)} ms / baseline ${ms(baseline)} ms = ` +
    `**${ratio.toFixed(2)}×**; the store adds ${perOpUs.toFixed(1)} µs per operation. Runs, store/baseline ms: ${each}.${verdict}`
  );
}

function floorTable(floor: FloorResult): string {
  const us = (v: number): string => v.toFixed(2);
  const verdict = (v: number, goal: number): string => `**${v <= goal ? 'met' : 'missed'}**`;
  return [
    `No-latency floor: CPU µs per operation, ${floor.ops} ops per run, median of ${floor.rounds} alternating rounds:`,
    '',
    '| contender | get | assoc |',
    '| --- | ---: | ---: |',
    ...FLOOR_CONTENDERS.map((c) => `| ${FLOOR_LABELS[c]} | ${us(floor.cpuUs[c].get)} | ${us(floor.cpuUs[c].assoc)} |`),
    '',
    `The asynchronous path (resolved Promises − memory) adds ${us(floor.asyncPathUs.get)} µs per get, ${us(floor.asyncPathUs.assoc)} µs per assoc ` +
      `(≤ ${ASYNC_PATH_GOAL_US} µs each: ${verdict(Math.max(floor.asyncPathUs.get, floor.asyncPathUs.assoc), ASYNC_PATH_GOAL_US)}). ` +
      `The latency wrapper at 0 ms (0 ms latency − resolved Promises − (setTimeout − pool)) adds ${us(floor.wrapperUs.get)} µs per get, ` +
      `${us(floor.wrapperUs.assoc)} µs per assoc beyond one bare setTimeout Promise ` +
      `(≤ ${WRAPPER_GOAL_US} µs each: ${verdict(Math.max(floor.wrapperUs.get, floor.wrapperUs.assoc), WRAPPER_GOAL_US)}).`,
  ].join('\n');
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
