/** Chooses the latency setting of each operation: `byOp`, then `reads`/`writes`, then `latency`. */
import type { LatencyBackingOptions, LatencySpec } from './options';
import { BACKING_OPS, isReadOp, type BackingOp } from './ops';
import { createSampler, type LatencySampler } from './distribution';
import type { Random } from './random';

/** The latency used when the options give none: a nearby remote store. */
export const DEFAULT_LATENCY: LatencySpec = { distribution: 'uniform', min: 0, max: 5 };

/**
 * Builds one sampler per operation from the options, validating every setting up front.
 * @param options - the latency options
 * @param random - the seeded PRNG all samplers draw from
 * @returns a function giving the delay in milliseconds of one call of `op`
 */
export function resolveLatency(options: LatencyBackingOptions, random: Random): (op: BackingOp) => number {
  const samplers = new Map<BackingOp, LatencySampler>();
  for (const op of BACKING_OPS) samplers.set(op, createSampler(specFor(options, op)));
  return (op) => (samplers.get(op) as LatencySampler)(op, random);
}

function specFor(options: LatencyBackingOptions, op: BackingOp): LatencySpec {
  const group = isReadOp(op) ? options.reads : options.writes;
  return options.byOp?.[op] ?? group ?? options.latency ?? DEFAULT_LATENCY;
}
