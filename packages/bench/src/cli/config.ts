/** What one benchmark run does: the workload, the backend, and where results go. */
import type { LatencySpec } from '@konserve-rx/latency';

/** A backend the benchmark can run against. */
export type BenchBackend = 'memory' | 'latency' | 'file';

/** The settings of one benchmark run, after parsing the command line. */
export interface BenchConfig {
  /** How many operations the timed run makes. @default 10000 */
  ops: number;
  /** The share of reads (`get`); the rest are writes (`assoc`). @default 0.5 */
  readRatio: number;
  /** How many distinct keys; op `i` uses key `i mod keys`, so contention is even. @default ops */
  keys: number;
  /** The size in bytes of the string payload of each written value. @default 100 */
  valueSize: number;
  /** How many operations run at once; 0 means no cap. @default 0 */
  concurrency: number;
  /** The simulated latency of the latency backend. @default uniform 0–5 ms */
  latency: LatencySpec;
  /** The seed of the workload and of the latency backend. @default 1 */
  seed: number;
  /** The store to measure. @default 'latency' */
  backend: BenchBackend;
  /** The folder of the file backend. @default a fresh temporary folder, removed afterwards */
  path: string | undefined;
  /** The folder for the JSON result and the SVG chart. @default bench/results when run from the repo, else ./konserve-rx-bench */
  out: string;
  /** Also run the plain Promise + setTimeout baseline with the same delays and report the ratio, and the no-latency floor. @default true for the latency backend */
  compareBaseline: boolean;
  /** The share of backing writes that fail with ERR_SIMULATED_FAILURE (latency backend). @default 0 */
  failureRate: number;
  /** An untimed warm-up run of this many operations before measuring (JIT, heap growth). @default min(10000, ops) */
  warmup: number;
  /** Store runs and baseline runs of the comparison; the ratio compares their medians. @default 3 */
  rounds: number;
  /** Draw a progress bar (TTY) or progress lines on stderr. @default true */
  progress: boolean;
  /** The scale of the chart's latency axis: `log` spreads a 0–10 ms region next to a long tail. @default 'linear' */
  xScale: ChartScale;
}

/** The scale of the chart's latency axis. */
export type ChartScale = 'linear' | 'log';

/** The latency of the default run: a nearby remote store. */
export const DEFAULT_BENCH_LATENCY: LatencySpec = { distribution: 'uniform', min: 0, max: 5 };
