import { describe, expect, it } from '@jest/globals';
import { createStore } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { firstValueFrom, toArray } from 'rxjs';
import { baselineDelays, runBaseline } from '../src/cli/baseline';
import { summarizeRun } from '../src/cli/stats';
import { createWorkload, preload, runStoreWorkload } from '../src/cli/workload';
import { latencyBacking } from '@konserve-rx/latency';

const latency = { distribution: 'uniform', min: 0, max: 5 } as const;

describe('benchmark workload', () => {
  it('is reproducible, has about the read ratio, and spreads keys round-robin', () => {
    const ops = createWorkload({ ops: 1000, readRatio: 0.8, keys: 10, seed: 3 });
    expect(createWorkload({ ops: 1000, readRatio: 0.8, keys: 10, seed: 3 })).toEqual(ops);
    const reads = ops.filter((o) => o.kind === 'get').length;
    expect(reads).toBeGreaterThan(750);
    expect(reads).toBeLessThan(850);
    expect(ops.slice(0, 3).map((o) => o.key)).toEqual(['key-0', 'key-1', 'key-2']);
    expect(ops[10]?.key).toBe('key-0');
  });

  it('runs on a store, timing every op and counting failures by code', async () => {
    const store = createStore(latencyBacking(memoryBacking(), { latency: 1, seed: 1, failures: { rate: 0.3, ops: ['write'] } }));
    const ops = createWorkload({ ops: 100, readRatio: 0.5, keys: 100, seed: 1 });
    await preload(createStore(memoryBacking()), { keys: 10, valueSize: 4 });
    let settled = 0;
    const raw = await runStoreWorkload(store, ops, { concurrency: 10, valueSize: 8, onSettled: () => settled++ });
    const failed = raw.errors.ERR_SIMULATED_FAILURE ?? 0;
    expect(settled).toBe(100);
    expect(failed).toBeGreaterThan(0);
    expect(raw.latencies.get.length + raw.latencies.assoc.length + failed).toBe(100);
    const stats = summarizeRun('store', raw);
    expect(stats.throughput).toBeGreaterThan(0);
    expect(stats.all.max).toBeGreaterThan(0);
  });

  it('gives the baseline the delays a latency backing with the same seed samples first', async () => {
    const ops = createWorkload({ ops: 40, readRatio: 0.5, keys: 40, seed: 2 });
    const delays = baselineDelays({ latency, seed: 9 }, ops);
    const backing = latencyBacking(memoryBacking(), { latency, seed: 9 });
    const timings = firstValueFrom(backing.stats$.pipe(toArray()));
    const store = createStore(backing);
    await runStoreWorkload(store, ops, { concurrency: 1, valueSize: 1 });
    await firstValueFrom(store.close());
    expect((await timings).map((t) => t.latencyMs)).toEqual(delays);
    const base = await runBaseline(ops, delays, 0);
    expect(base.latencies.get.length + base.latencies.assoc.length).toBe(40);
    // Not a lower bound on wallMs: Node starts timers from the cached loop time, so under load they fire "early".
    expect(base.wallMs).toBeGreaterThan(0);
  });
});
