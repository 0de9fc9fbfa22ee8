/** The no-latency floor: which stores it measures, how often, and what the report says about it. */
import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../src/cli/args';
import { measureFloor } from '../src/cli/floor';
import { markdownReport, type BenchResult } from '../src/cli/report';
import type { BenchConfig } from '../src/cli/config';
import { emptyResult, type WorkOp } from '../src/cli/workload';
import { summarizeRun } from '../src/cli/stats';

function config(extra: string[] = []): BenchConfig {
  const parsed = parseArgs(['--ops', '4', '--rounds', '3', '--failure-rate', '0.1', ...extra], 'out');
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
}

describe('measureFloor', () => {
  it('runs the same stack with 0 ms delays, then the bare memory store, rounds times each, and takes medians', async () => {
    const seen: Array<Pick<BenchConfig, 'backend' | 'latency' | 'failureRate'>> = [];
    const walls = [30, 10, 20, 7, 5, 6];
    const floor = await measureFloor(config(), [] as WorkOp[], async (cfg) => {
      seen.push({ backend: cfg.backend, latency: cfg.latency, failureRate: cfg.failureRate });
      return { raw: { ...emptyResult(), wallMs: walls[seen.length - 1] as number } };
    });
    expect(seen.slice(0, 3)).toEqual(Array(3).fill({ backend: 'latency', latency: 0, failureRate: 0.1 }));
    expect(seen.slice(3).map((c) => c.backend)).toEqual(['memory', 'memory', 'memory']);
    expect(floor).toEqual({ zeroLatencyMs: 20, memoryMs: 6, runs: { zeroLatencyMs: [30, 10, 20], memoryMs: [7, 5, 6] } });
  });

  it('is printed next to the ratio, per operation and against twice the baseline', () => {
    const run = summarizeRun('x', { ...emptyResult(), wallMs: 100 });
    const result: BenchResult = {
      tool: 'konserve-rx-bench',
      version: 1,
      date: '',
      node: '',
      config: { ...config(), ops: 10000 },
      store: run,
      baseline: run,
      rounds: [{ storeMs: 80, baselineMs: 10 }],
      ratio: 8,
      floor: { zeroLatencyMs: 60, memoryMs: 30, runs: { zeroLatencyMs: [60], memoryMs: [30] } },
    };
    expect(markdownReport(result)).toContain(
      'No-latency floor, median of 1 run(s) each: the same store stack with 0 ms delays 60.00 ms (6.0 µs per operation), ' +
        'the bare synchronous memory store 30.00 ms (3.0 µs per operation); 2× the baseline is 20.00 ms, so the floor alone is above the target.',
    );
  });
});
