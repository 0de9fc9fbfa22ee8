/** Percentiles and summaries of latency samples, shared by the backing's stats and the benchmark. */

/** Count, mean and tail of a set of durations in milliseconds (all 0 when there are none). */
export interface DistributionSummary {
  /** How many samples. */
  count: number;
  /** The arithmetic mean. */
  mean: number;
  /** The smallest sample. */
  min: number;
  /** The median (nearest rank). */
  p50: number;
  /** The 95th percentile (nearest rank). */
  p95: number;
  /** The 99th percentile (nearest rank). */
  p99: number;
  /** The largest sample. */
  max: number;
}

/**
 * The nearest-rank percentile of ascending samples: the smallest sample with at least `p`% of
 * the samples at or below it (so p50 of 1..100 is 50, p99 is 99).
 * @param sorted - samples in ascending order
 * @param p - the percentile, 0 to 100
 * @returns the percentile, or 0 when there are no samples
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * Summarises samples; the input is not modified.
 * @param samples - durations in any order
 * @returns count, mean, min, p50, p95, p99 and max
 */
export function summarize(samples: readonly number[]): DistributionSummary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  let sum = 0;
  for (const v of values) sum += v;
  return {
    count: values.length,
    mean: values.length === 0 ? 0 : sum / values.length,
    min: values[0] ?? 0,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values[values.length - 1] ?? 0,
  };
}
