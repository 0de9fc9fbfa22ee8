/** The benchmark workload: a seeded list of reads and writes, and how to run it on a Store. */
import type { Store } from '@konserve-rx/core';
import type { LatencySummary } from '@konserve-rx/latency';
import { performance } from 'node:perf_hooks';
import { deriveSeed, mulberry32 } from '@konserve-rx/core';
import type { BenchConfig } from './config';
import { runPool } from '../pool';

/** The kinds of operation the workload makes. */
export type WorkKind = 'get' | 'assoc';

/** One operation of the workload. */
export interface WorkOp {
  /** Its position in the workload. */
  readonly index: number;
  /** A read (`get`) or a write (`assoc`). */
  readonly kind: WorkKind;
  /** The key; op `i` uses key `i mod keys`. */
  readonly key: string;
}

/** The raw outcome of running a workload. */
export interface RunResult {
  /** Wall time from the first start to the last completion, in milliseconds. */
  wallMs: number;
  /** Per-operation latency in milliseconds of successful operations, by kind. */
  latencies: Record<WorkKind, number[]>;
  /** Failed operations by error code. */
  errors: Record<string, number>;
}

/**
 * Builds the workload: the kind of each op is drawn from a PRNG seeded with `seed`; keys go round-robin.
 * @param config - ops, readRatio, keys and seed
 * @returns the operations in order
 */
export function createWorkload(config: Pick<BenchConfig, 'ops' | 'readRatio' | 'keys' | 'seed'>): WorkOp[] {
  const random = mulberry32(deriveSeed(config.seed, 7));
  return Array.from({ length: config.ops }, (_, index) => ({
    index,
    kind: random() < config.readRatio ? 'get' : 'assoc',
    key: `key-${index % config.keys}`,
  }));
}

/** An empty result to fill. */
export function emptyResult(): RunResult {
  return { wallMs: 0, latencies: { get: [], assoc: [] }, errors: {} };
}

/**
 * Runs the workload on a store, timing each operation from subscription to completion.
 * @param store - the store to measure
 * @param ops - the workload
 * @param options - the concurrency cap (0 = none), the value payload size, and a callback per finished op
 * @returns a promise of the result; failed operations are counted by error code, never thrown
 */
export async function runStoreWorkload(
  store: Store,
  ops: readonly WorkOp[],
  options: { concurrency: number; valueSize: number; onSettled?: () => void },
): Promise<RunResult> {
  const result = emptyResult();
  const payload = 'x'.repeat(options.valueSize);
  result.wallMs = await runPool(ops.length, options.concurrency, (i, done) => {
    const op = ops[i] as WorkOp;
    const t0 = performance.now();
    const work = op.kind === 'get' ? store.get(op.key) : store.assoc(op.key, { i, payload });
    work.subscribe(new OpObserver(t0, result, op.kind, options.onSettled, done));
  });
  return result;
}

/**
 * Writes every key once (untimed) so that the timed reads find values.
 * @param store - a store over the same bytes as the measured one, ideally without simulated latency
 * @param config - keys and valueSize
 * @returns a promise that resolves when every key is written
 */
export async function preload(store: Store, config: Pick<BenchConfig, 'keys' | 'valueSize'>): Promise<void> {
  const payload = 'x'.repeat(config.valueSize);
  await runPool(config.keys, 64, (i, done) => {
    store.assoc(`key-${i}`, { i: -1, payload }).subscribe({ complete: done, error: done });
  });
}

/**
 * Times one operation from subscription to completion. One object with prototype methods, not
 * an observer literal with two closures: the harness's own state per operation in flight is
 * charged to the store's wall time, and the baseline's harness is one closure per operation.
 */
class OpObserver {
  constructor(
    private readonly t0: number,
    private readonly result: RunResult,
    private readonly kind: WorkKind,
    private readonly onSettled: (() => void) | undefined,
    private readonly done: () => void,
  ) {}

  complete(): void {
    this.result.latencies[this.kind].push(performance.now() - this.t0);
    this.onSettled?.();
    this.done();
  }

  error(error: unknown): void {
    const code = String((error as { code?: unknown } | null)?.code ?? 'Error');
    this.result.errors[code] = (this.result.errors[code] ?? 0) + 1;
    this.onSettled?.();
    this.done();
  }
}

/** One measured store run and, for the latency backend, its backing's timings. */
export interface StoreMeasurement {
  /** The raw run. */
  raw: RunResult;
  /** The latency backing's summary, for the latency backend. */
  backing?: LatencySummary;
}

/** Measures one store run on a fresh target. */
export type MeasureStore = (config: BenchConfig, ops: readonly WorkOp[]) => Promise<StoreMeasurement>;
