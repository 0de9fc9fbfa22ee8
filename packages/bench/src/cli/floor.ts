/** The no-latency floor: what the same workload costs when nothing waits, to explain the ratio. */
import { median } from '../median';
import type { BenchConfig } from './config';
import type { MeasureStore, WorkOp } from './workload';

/** Wall times of the workload without simulated latency, next to the comparison. */
export interface FloorResult {
  /** Median wall time on the same store stack (latency backing over memory) with every delay 0 ms, in milliseconds. */
  zeroLatencyMs: number;
  /** Median wall time on a Store over the bare synchronous memory backing (no latency wrapper), in milliseconds. */
  memoryMs: number;
  /** The wall times of each run, in milliseconds. */
  runs: { zeroLatencyMs: number[]; memoryMs: number[] };
}

/**
 * Measures `config.rounds` runs of the workload on the same stack with 0 ms delays (the store and
 * the wrapper's asynchronous path, timers included, but no waiting), then as many on the bare
 * memory store (the store's synchronous CPU cost alone). Runs of one kind go back to back, as in
 * the comparison. When the zero-delay run alone takes longer than twice the baseline, no
 * overlap with the latency can bring the ratio to 2.
 * @param config - the settings of the latency run
 * @param ops - the workload
 * @param measure - measures one store run on a fresh target
 * @param say - progress messages
 * @returns a promise of the floor
 */
export async function measureFloor(
  config: BenchConfig,
  ops: readonly WorkOp[],
  measure: MeasureStore,
  say: (text: string) => void = () => undefined,
): Promise<FloorResult> {
  const count = Math.max(1, config.rounds);
  const zero: BenchConfig = { ...config, latency: 0 };
  const memory: BenchConfig = { ...config, backend: 'memory', failureRate: 0 };
  const zeroLatencyMs: number[] = [];
  const memoryMs: number[] = [];
  while (zeroLatencyMs.length < count) {
    say(`floor: store stack with 0 ms delays, run ${zeroLatencyMs.length + 1}/${count}...`);
    zeroLatencyMs.push((await measure(zero, ops)).raw.wallMs);
  }
  while (memoryMs.length < count) {
    say(`floor: bare memory store, run ${memoryMs.length + 1}/${count}...`);
    memoryMs.push((await measure(memory, ops)).raw.wallMs);
  }
  return { zeroLatencyMs: median(zeroLatencyMs), memoryMs: median(memoryMs), runs: { zeroLatencyMs, memoryMs } };
}
