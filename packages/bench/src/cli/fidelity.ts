/**
 * Does the latency simulator show the latency it was given? Two checks on a latency run: with at
 * most {@link FIDELITY_IN_FLIGHT} operations in flight, the percentiles observed through the store
 * lie within {@link FIDELITY_TOLERANCE_MS} of the distribution's own; with at most
 * {@link RATIO_IN_FLIGHT}, the store's wall time stays within {@link RATIO_GOAL}× of bare
 * Promise + setTimeout with the same delays.
 */
import type { LatencySpec } from '@konserve-rx/latency';
import type { RunStats } from './stats';

/** The most operations in flight for which the percentile check applies. */
export const FIDELITY_IN_FLIGHT = 100;
/** How far, in ms, each observed percentile may lie from the distribution's own. */
export const FIDELITY_TOLERANCE_MS = 0.5;
/** The most operations in flight for which the ratio check applies. */
export const RATIO_IN_FLIGHT = 300;
/** The largest store / baseline wall-time ratio the ratio check allows. */
export const RATIO_GOAL = 1.3;

/** The percentiles both checks compare. */
export const PERCENTILES = ['p50', 'p95', 'p99'] as const;
/** One of {@link PERCENTILES}. */
export type PercentileName = (typeof PERCENTILES)[number];

/** The percentile check: observed (all operations, through the store) against the distribution's own. */
export interface PercentileCheck {
  /** The distribution's own percentiles, in ms. */
  expected: Record<PercentileName, number>;
  /** The store's, in ms. */
  observed: Record<PercentileName, number>;
  /** Whether every observed percentile is within the tolerance. */
  met: boolean;
}

// z of the standard normal at 0.5, 0.95 and 0.99
const Z: Record<PercentileName, number> = { p50: 0, p95: 1.6448536269514722, p99: 2.3263478740408408 };
const P: Record<PercentileName, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/**
 * The exact percentiles of a latency setting (a normal one clamped at 0, as the sampler does).
 * @param spec - the latency setting
 * @returns p50, p95 and p99 in ms, or `undefined` for a function (its distribution is unknown)
 */
export function distributionPercentiles(spec: LatencySpec): Record<PercentileName, number> | undefined {
  if (typeof spec === 'function') return undefined;
  const of = (q: (p: PercentileName) => number): Record<PercentileName, number> => ({ p50: q('p50'), p95: q('p95'), p99: q('p99') });
  if (typeof spec === 'number') return of(() => spec);
  switch (spec.distribution) {
    case 'fixed':
      return of(() => spec.ms);
    case 'uniform':
      return of((p) => spec.min + P[p] * (spec.max - spec.min));
    case 'normal':
      return of((p) => Math.max(0, spec.mean + spec.stddev * Z[p]));
    case 'exponential':
      return of((p) => -spec.mean * Math.log(1 - P[p]));
    case 'lognormal': {
      const mu = 'median' in spec ? Math.log(spec.median) : spec.mu;
      const sigma = 'median' in spec ? (Math.log(spec.p99) - mu) / Z.p99 : spec.sigma;
      return of((p) => Math.exp(mu + sigma * Z[p]));
    }
  }
}

/**
 * The percentile check of a latency run, when it applies (a known distribution, 1 to
 * {@link FIDELITY_IN_FLIGHT} operations in flight).
 * @param spec - the latency setting
 * @param concurrency - operations in flight (0 = no cap)
 * @param store - the store run's statistics
 * @returns the check, or `undefined` when it does not apply
 */
export function percentileCheck(spec: LatencySpec, concurrency: number, store: RunStats): PercentileCheck | undefined {
  const expected = distributionPercentiles(spec);
  if (expected === undefined || concurrency < 1 || concurrency > FIDELITY_IN_FLIGHT) return undefined;
  const observed = { p50: store.all.p50, p95: store.all.p95, p99: store.all.p99 };
  const met = PERCENTILES.every((p) => Math.abs(observed[p] - expected[p]) <= FIDELITY_TOLERANCE_MS);
  return { expected, observed, met };
}

/**
 * Whether the ratio check applies: 1 to {@link RATIO_IN_FLIGHT} operations in flight.
 * @param concurrency - operations in flight (0 = no cap)
 * @returns true when the store / baseline ratio is held to {@link RATIO_GOAL}
 */
export function ratioCheckApplies(concurrency: number): boolean {
  return concurrency >= 1 && concurrency <= RATIO_IN_FLIGHT;
}
