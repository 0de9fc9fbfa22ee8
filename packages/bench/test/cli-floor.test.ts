/** The no-latency floor and the fidelity checks: what they measure, and what the report says about them. */
import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../src/cli/args';
import { distributionPercentiles, percentileCheck, ratioCheckApplies } from '../src/cli/fidelity';
import { FLOOR_CONTENDERS, measureFloor, summarizeFloor, type FloorResult } from '../src/cli/floor';
import { markdownReport, type BenchResult } from '../src/cli/report';
import type { BenchConfig } from '../src/cli/config';
import { emptyResult } from '../src/cli/workload';
import { summarizeRun } from '../src/cli/stats';

function config(extra: string[] = []): BenchConfig {
  const parsed = parseArgs(['--ops', '40', '--keys', '10', '--rounds', '3', ...extra], 'out');
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
}

/** Runs where every contender costs `base` µs per operation, plus `extra[c]`, in each of 3 rounds. */
function runs(extra: Partial<Record<(typeof FLOOR_CONTENDERS)[number], number[]>>): FloorResult['runs'] {
  return Object.fromEntries(
    FLOOR_CONTENDERS.map((c) => {
      const r = extra[c] ?? [0, 0, 0];
      return [c, { get: r.map((v) => 1 + v), assoc: r.map((v) => 2 + v) }];
    }),
  ) as FloorResult['runs'];
}

describe('measureFloor', () => {
  it('measures every contender, gets and assocs, in at least 9 rounds of CPU time', async () => {
    const floor = await measureFloor(config(['--rounds', '1']));
    expect(floor.rounds).toBe(9);
    for (const c of FLOOR_CONTENDERS) {
      expect(floor.runs[c].get).toHaveLength(9);
      expect(floor.runs[c].assoc).toHaveLength(9);
    }
    expect(floor.cpuUs.memory.assoc).toBeGreaterThan(0);
  });

  it('takes each difference within a round, then the median over rounds', () => {
    const f = summarizeFloor(10, 3, runs({ memory: [0, 5, 0], resolved: [1, 5, 3], zeroLatency: [4, 9, 2.5], timeout: [2, 2, 2], pool: [0.5, 0.5, 0.5] }));
    // resolved − memory per round: 1, 0, 3 → median 1
    expect(f.asyncPathUs).toEqual({ get: 1, assoc: 1 });
    // zeroLatency − resolved − (timeout − pool) per round: 1.5, 2.5, −2 → median 1.5
    expect(f.wrapperUs).toEqual({ get: 1.5, assoc: 1.5 });
  });

  it('is printed as a table with both checks, met or missed', () => {
    const run = summarizeRun('x', { ...emptyResult(), wallMs: 100 });
    const floor = summarizeFloor(10, 3, runs({ resolved: [3, 3, 3], zeroLatency: [3.5, 3.5, 3.5] }));
    const result: BenchResult = { tool: 'konserve-rx-bench', version: 1, date: '', node: '', config: config(), store: run, floor };
    const md = markdownReport(result);
    expect(md).toContain('| store over the synchronous memory backing | 1.00 | 2.00 |');
    expect(md).toContain('adds 3.00 µs per get, 3.00 µs per assoc (≤ 2 µs each: **missed**)');
    expect(md).toContain('adds 0.50 µs per get, 0.50 µs per assoc beyond one bare setTimeout Promise (≤ 1 µs each: **met**)');
  });
});

describe('fidelity checks', () => {
  it("knows each distribution's own percentiles", () => {
    expect(distributionPercentiles({ distribution: 'uniform', min: 1, max: 3 })).toEqual({ p50: 2, p95: 2.9, p99: 2.98 });
    const normal = distributionPercentiles({ distribution: 'normal', mean: 5, stddev: 1 })!;
    expect(normal.p50).toBe(5);
    expect(normal.p95).toBeCloseTo(6.645, 3);
    expect(normal.p99).toBeCloseTo(7.326, 3);
    // clamped at 0, like the sampler
    expect(distributionPercentiles({ distribution: 'normal', mean: -5, stddev: 1 })).toEqual({ p50: 0, p95: 0, p99: 0 });
    const lognormal = distributionPercentiles({ distribution: 'lognormal', median: 2, p99: 20 })!;
    expect(lognormal.p50).toBeCloseTo(2, 10);
    expect(lognormal.p99).toBeCloseTo(20, 10);
    expect(distributionPercentiles(() => 1)).toBeUndefined();
  });

  it('checks percentiles only with 1 to 100 in flight, and the ratio only with 1 to 300', () => {
    const store = summarizeRun('x', { ...emptyResult(), wallMs: 1, latencies: { get: Array.from({ length: 100 }, (_, i) => (i + 1) / 50), assoc: [] } });
    const spec = { distribution: 'uniform' as const, min: 0, max: 2 };
    expect(percentileCheck(spec, 100, store)?.met).toBe(true);
    expect(percentileCheck({ ...spec, max: 4 }, 100, store)?.met).toBe(false);
    expect(percentileCheck(spec, 101, store)).toBeUndefined();
    expect(percentileCheck(spec, 0, store)).toBeUndefined();
    expect([0, 1, 300, 301].map(ratioCheckApplies)).toEqual([false, true, true, false]);
  });
});
