/** Turns raw run results into the numbers the report prints: throughput and latency percentiles. */
import { summarize, type DistributionSummary } from '@konserve-rx/latency';
import type { RunResult, WorkKind } from './workload';

/** The summary of one run. */
export interface RunStats {
  /** What ran, e.g. `konserve-rx latency store`. */
  label: string;
  /** Wall time in milliseconds. */
  wallMs: number;
  /** Finished operations per second of wall time. */
  throughput: number;
  /** Latency of every successful operation. */
  all: DistributionSummary;
  /** Latency per kind of operation. */
  byKind: Record<WorkKind, DistributionSummary>;
  /** Failed operations by error code. */
  errors: Record<string, number>;
}

/**
 * Summarises a run.
 * @param label - the run's name in reports
 * @param result - the raw result
 * @returns wall time, throughput (ops/s, failed ops included) and percentiles overall and per kind
 */
export function summarizeRun(label: string, result: RunResult): RunStats {
  const all = [...result.latencies.get, ...result.latencies.assoc];
  const failed = Object.values(result.errors).reduce((a, b) => a + b, 0);
  return {
    label,
    wallMs: result.wallMs,
    throughput: result.wallMs > 0 ? ((all.length + failed) * 1000) / result.wallMs : 0,
    all: summarize(all),
    byKind: { get: summarize(result.latencies.get), assoc: summarize(result.latencies.assoc) },
    errors: { ...result.errors },
  };
}

/** One point of an empirical CDF: the share of samples at or below `x`. */
export interface CdfPoint {
  /** The latency in milliseconds. */
  x: number;
  /** The share of samples <= x, from 0 to 1. */
  y: number;
}

/**
 * The empirical CDF of samples, thinned to at most `maxPoints` points (the largest sample is always kept).
 * @param samples - latencies in any order
 * @param maxPoints - the largest number of points to return
 * @returns points with increasing `x` and `y`, ending at `y = 1`; empty for no samples
 */
export function cdf(samples: readonly number[], maxPoints = 200): CdfPoint[] {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return [];
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const points: CdfPoint[] = [];
  for (let i = step - 1; i < n; i += step) points.push({ x: sorted[i] as number, y: (i + 1) / n });
  if (points[points.length - 1]?.y !== 1) points.push({ x: sorted[n - 1] as number, y: 1 });
  return points;
}
