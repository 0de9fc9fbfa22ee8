/** The baseline: the same workload as plain Promises around setTimeout, with the same delays. */
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '@konserve-rx/core';
import { createSampler } from '@konserve-rx/latency';
import type { BenchConfig } from './config';
import { runPool } from '../pool';
import { emptyResult, type RunResult, type WorkOp } from './workload';

/**
 * Draws the delay of each workload op exactly as a latency backing seeded with `config.seed`
 * would draw its first calls (one `read` per get, one `write` per assoc, in order).
 * @param config - latency and seed
 * @param ops - the workload
 * @returns one delay in milliseconds per op
 */
export function baselineDelays(config: Pick<BenchConfig, 'latency' | 'seed'>, ops: readonly WorkOp[]): number[] {
  const sample = createSampler(config.latency);
  const random = mulberry32(config.seed);
  return ops.map((op) => sample(op.kind === 'get' ? 'read' : 'write', random));
}

/**
 * Runs one `new Promise((r) => setTimeout(r, delay))` per op through the same pool as the store run:
 * the least any client of a store with these delays could take.
 * @param ops - the workload (for the kinds)
 * @param delays - one delay per op
 * @param concurrency - the cap; 0 means none
 * @returns a promise of the result
 */
export async function runBaseline(ops: readonly WorkOp[], delays: readonly number[], concurrency: number): Promise<RunResult> {
  const result = emptyResult();
  result.wallMs = await runPool(ops.length, concurrency, (i, done) => {
    const t0 = performance.now();
    void new Promise<void>((resolve) => setTimeout(resolve, delays[i])).then(() => {
      result.latencies[(ops[i] as WorkOp).kind].push(performance.now() - t0);
      done();
    });
  });
  return result;
}
