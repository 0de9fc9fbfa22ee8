/** Turns a {@link LatencySpec} into a sampler of delays, validating its parameters once. */
import { invalidArgument, KonserveError } from '@konserve-rx/core';
import type { LatencyDistribution, LatencySpec } from './options';
import type { BackingOp } from './ops';
import { standardNormal, type Random } from './random';

/** Draws the delay in milliseconds (finite, >= 0) of one operation. */
export type LatencySampler = (op: BackingOp, random: Random) => number;

/** z of the 99th percentile of the standard normal, to turn a log-normal's p99 into its sigma. */
const Z_P99 = 2.3263478740408408;

/**
 * Builds the sampler of one latency setting.
 * @param spec - fixed milliseconds, a named distribution, or a function of the operation
 * @returns a sampler; it errors with `ERR_INVALID_ARGUMENT` up front (thrown) when a parameter is out of range
 */
export function createSampler(spec: LatencySpec): LatencySampler {
  if (typeof spec === 'function') return (op, random) => clamp(spec(op, random));
  if (typeof spec === 'number') return fixed(spec);
  return named(spec);
}

function named(spec: LatencyDistribution): LatencySampler {
  switch (spec.distribution) {
    case 'fixed':
      return fixed(spec.ms);
    case 'uniform':
      check(spec.min >= 0 && spec.max >= spec.min, 'uniform latency needs 0 <= min <= max');
      return (_op, random) => spec.min + random() * (spec.max - spec.min);
    case 'normal':
      check(spec.stddev >= 0 && Number.isFinite(spec.mean), 'normal latency needs a finite mean and stddev >= 0');
      return (_op, random) => clamp(spec.mean + spec.stddev * standardNormal(random));
    case 'exponential':
      check(spec.mean > 0, 'exponential latency needs mean > 0');
      return (_op, random) => -spec.mean * Math.log(1 - random());
    case 'lognormal':
      return lognormal(spec);
    default:
      throw invalid(`unknown latency distribution ${JSON.stringify((spec as { distribution?: unknown }).distribution)}`);
  }
}

function lognormal(spec: Extract<LatencyDistribution, { distribution: 'lognormal' }>): LatencySampler {
  let mu: number;
  let sigma: number;
  if ('median' in spec) {
    check(spec.median > 0 && spec.p99 >= spec.median, 'lognormal latency needs 0 < median <= p99');
    mu = Math.log(spec.median);
    sigma = (Math.log(spec.p99) - mu) / Z_P99;
  } else {
    check(Number.isFinite(spec.mu) && spec.sigma >= 0, 'lognormal latency needs a finite mu and sigma >= 0');
    mu = spec.mu;
    sigma = spec.sigma;
  }
  return (_op, random) => Math.exp(mu + sigma * standardNormal(random));
}

function fixed(ms: number): LatencySampler {
  check(ms >= 0 && Number.isFinite(ms), 'fixed latency needs a finite ms >= 0');
  return () => ms;
}

function clamp(ms: number): number {
  return ms > 0 && Number.isFinite(ms) ? ms : 0;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw invalid(message);
}

function invalid(message: string): KonserveError {
  return invalidArgument(message);
}
