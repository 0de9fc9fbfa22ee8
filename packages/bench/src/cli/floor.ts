/**
 * The no-latency floor: what the store's asynchronous path and the latency wrapper cost when
 * nothing waits, per operation, measured in CPU time (which another process's load disturbs far
 * less than wall time) side by side in one process, in alternating rounds.
 */
import { createStore, type Store } from '@konserve-rx/core';
import { latencyBacking } from '@konserve-rx/latency';
import { memoryBacking } from '@konserve-rx/memory';
import { firstValueFrom } from 'rxjs';
import { median } from '../median';
import { runPool, type StartTask } from '../pool';
import type { BenchConfig } from './config';
import { resolvedBacking } from './resolved-backing';
import { preload, type WorkKind } from './workload';

/** What the floor measures, each over the same preloaded keys. */
export const FLOOR_CONTENDERS = ['memory', 'resolved', 'zeroLatency', 'timeout', 'pool'] as const;
/** One of {@link FLOOR_CONTENDERS}. */
export type FloorContender = (typeof FLOOR_CONTENDERS)[number];

/** How each contender is named in the report. */
export const FLOOR_LABELS: Readonly<Record<FloorContender, string>> = {
  memory: 'store over the synchronous memory backing',
  resolved: 'store over a backing answering with resolved Promises',
  zeroLatency: 'store over the latency wrapper, 0 ms delays',
  timeout: 'bare new Promise((r) => setTimeout(r, 0))',
  pool: 'the pool alone (an operation that does nothing)',
};

/**
 * The fewest rounds the floor runs. Each check is a difference of three or four CPU measurements:
 * with 3 rounds the wrapper's figure ranged from -0.4 to 1.8 µs on a quiet machine, as wide as its
 * bound; with 9, its get ranged over 0.9-1.3 µs and its assoc over 0.5-1.0 µs
 * (docs/performance.md, round five). About 0.3 s per round at 10,000 operations.
 */
export const FLOOR_MIN_ROUNDS = 9;

/** The most the asynchronous path may add per get and per assoc, in µs. */
export const ASYNC_PATH_GOAL_US = 2;
/** The most the latency wrapper may add per operation beyond one bare setTimeout Promise, in µs. */
export const WRAPPER_GOAL_US = 1;

/** CPU time per operation of each contender, and what the asynchronous path and the wrapper add. */
export interface FloorResult {
  /** Operations per run. */
  ops: number;
  /** Runs of each contender and kind. */
  rounds: number;
  /** Median CPU µs per operation, by contender and kind. */
  cpuUs: Record<FloorContender, Record<WorkKind, number>>;
  /** CPU µs per operation of every run, by contender and kind, in round order. */
  runs: Record<FloorContender, Record<WorkKind, number[]>>;
  /** Median over rounds of resolved − memory: what the asynchronous path adds, µs per operation. */
  asyncPathUs: Record<WorkKind, number>;
  /**
   * Median over rounds of zeroLatency − resolved − (timeout − pool): what the wrapper adds beyond
   * one setTimeout, µs per operation. Against the resolved-Promise store, not the synchronous one,
   * so the asynchronous path (which every asynchronous backing pays, checked by `asyncPathUs`) is
   * not counted twice.
   */
  wrapperUs: Record<WorkKind, number>;
}

/**
 * Measures the floor: `config.rounds` (at least {@link FLOOR_MIN_ROUNDS}) rounds in which every contender runs
 * `config.ops` gets, then as many assocs, with `config.concurrency` in flight, in an order
 * rotated each round. Every store holds `config.keys` values of `config.valueSize` first.
 * @param config - ops, keys, valueSize, concurrency, rounds and seed of the latency run
 * @param say - progress messages
 * @returns a promise of the floor
 */
export async function measureFloor(config: BenchConfig, say: (text: string) => void = () => undefined): Promise<FloorResult> {
  const rounds = Math.max(FLOOR_MIN_ROUNDS, config.rounds);
  const ops = config.ops;
  const stores = {
    memory: createStore(memoryBacking()),
    resolved: createStore(resolvedBacking(memoryBacking())),
    zeroLatency: createStore(latencyBacking(memoryBacking(), { latency: 0, seed: config.seed })),
  };
  try {
    for (const store of Object.values(stores)) await preload(store, config);
    const keys = Array.from({ length: ops }, (_, i) => `key-${i % config.keys}`);
    const payload = 'x'.repeat(config.valueSize);
    const starts = (c: FloorContender, kind: WorkKind): StartTask => {
      if (c === 'timeout') return (_i, done) => void new Promise((r) => setTimeout(r, 0)).then(() => done());
      if (c === 'pool') return (_i, done) => done();
      return storeStart(stores[c], kind, keys, payload);
    };
    const runs = tableOf(() => [] as number[]);
    const cpuUsOf = async (c: FloorContender, kind: WorkKind): Promise<number> => {
      const t0 = process.cpuUsage();
      await runPool(ops, config.concurrency, starts(c, kind));
      const t = process.cpuUsage(t0);
      return (t.user + t.system) / ops;
    };
    for (const c of FLOOR_CONTENDERS) for (const kind of KINDS) await cpuUsOf(c, kind); // warm-up, not counted
    for (let r = 0; r < rounds; r++) {
      say(`floor: round ${r + 1}/${rounds} (memory, resolved-Promise and 0 ms latency stores, bare setTimeout)...`);
      for (let k = 0; k < FLOOR_CONTENDERS.length; k++) {
        const c = FLOOR_CONTENDERS[(k + r) % FLOOR_CONTENDERS.length] as FloorContender;
        for (const kind of KINDS) runs[c][kind].push(await cpuUsOf(c, kind));
      }
    }
    return summarizeFloor(ops, rounds, runs);
  } finally {
    for (const store of Object.values(stores)) await firstValueFrom(store.close(), { defaultValue: undefined });
  }
}

/**
 * The medians and paired differences of measured runs (each difference is taken within a round,
 * then the median over rounds, so a busy round skews it less).
 * @param ops - operations per run
 * @param rounds - runs per contender and kind
 * @param runs - CPU µs per operation of every run
 * @returns the floor
 */
export function summarizeFloor(ops: number, rounds: number, runs: FloorResult['runs']): FloorResult {
  const paired = (f: (r: number) => number): number => median(Array.from({ length: rounds }, (_, r) => f(r)));
  const at = (c: FloorContender, kind: WorkKind, r: number): number => runs[c][kind][r] as number;
  const byKind = (f: (kind: WorkKind) => number): Record<WorkKind, number> => ({ get: f('get'), assoc: f('assoc') });
  return {
    ops,
    rounds,
    cpuUs: tableOf((c, kind) => median(runs[c][kind])),
    runs,
    asyncPathUs: byKind((kind) => paired((r) => at('resolved', kind, r) - at('memory', kind, r))),
    wrapperUs: byKind((kind) => paired((r) => at('zeroLatency', kind, r) - at('resolved', kind, r) - (at('timeout', kind, r) - at('pool', kind, r)))),
  };
}

const KINDS: readonly WorkKind[] = ['get', 'assoc'];

function storeStart(store: Store, kind: WorkKind, keys: readonly string[], payload: string): StartTask {
  const observer = (done: () => void) => ({ complete: done, error: done });
  if (kind === 'get') return (i, done) => void store.get(keys[i] as string).subscribe(observer(done));
  return (i, done) => void store.assoc(keys[i] as string, { i, payload }).subscribe(observer(done));
}

function tableOf<T>(make: (c: FloorContender, kind: WorkKind) => T): Record<FloorContender, Record<WorkKind, T>> {
  return Object.fromEntries(FLOOR_CONTENDERS.map((c) => [c, { get: make(c, 'get'), assoc: make(c, 'assoc') }])) as Record<FloorContender, Record<WorkKind, T>>;
}
