/** Parses the `konserve-rx-bench` command line into a {@link BenchConfig}. */
import type { BenchBackend, BenchConfig, ChartScale } from './config';
import { DEFAULT_BENCH_LATENCY } from './config';
import { numberFlag, readFlags } from './flags';
import { latencyFromFlags } from './latency-flags';

/** The result of parsing: a config to run, or a request for the usage text. */
export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly config: BenchConfig };

const BACKENDS: readonly BenchBackend[] = ['memory', 'latency', 'file'];
const SCALES: readonly ChartScale[] = ['linear', 'log'];

/**
 * Parses flags (`--name value` or `--name=value`).
 * @param argv - the arguments after the script name
 * @param defaultOut - the output folder when `--out` is not given
 * @returns the config, or `{ help: true }`; throws an `Error` with a user-facing message on bad flags
 */
export function parseArgs(argv: readonly string[], defaultOut: string): ParsedArgs {
  const flags = readFlags(argv);
  if (flags.has('help')) return { help: true };
  const num = (name: string, fallback: number): number => numberFlag(flags, name, fallback);
  const ops = int(num('ops', 10000), 'ops', 1);
  const backend = (flags.get('backend') ?? 'latency') as BenchBackend;
  if (!BACKENDS.includes(backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}`);
  const xScale = (flags.get('x-scale') ?? 'linear') as ChartScale;
  if (!SCALES.includes(xScale)) throw new Error(`--x-scale must be one of ${SCALES.join(', ')}`);
  const readRatio = num('read-ratio', 0.5);
  const failureRate = num('failure-rate', 0);
  if (!(readRatio >= 0 && readRatio <= 1)) throw new Error('--read-ratio must be between 0 and 1');
  if (!(failureRate >= 0 && failureRate <= 1)) throw new Error('--failure-rate must be between 0 and 1');
  const config: BenchConfig = {
    ops,
    readRatio,
    keys: int(num('keys', ops), 'keys', 1),
    valueSize: int(num('value-size', 100), 'value-size', 0),
    concurrency: int(num('concurrency', 0), 'concurrency', 0),
    latency: latencyFromFlags(flags, DEFAULT_BENCH_LATENCY),
    seed: int(num('seed', 1), 'seed', 0),
    backend,
    path: flags.get('path'),
    out: flags.get('out') ?? defaultOut,
    compareBaseline: compareBaseline(flags, backend),
    failureRate,
    warmup: int(num('warmup', Math.min(10000, ops)), 'warmup', 0),
    rounds: int(num('rounds', 3), 'rounds', 1),
    progress: !flags.has('no-progress'),
    xScale,
  };
  return { help: false, config };
}

function compareBaseline(flags: ReadonlyMap<string, string>, backend: BenchBackend): boolean {
  if (backend !== 'latency' && flags.has('compare-baseline')) throw new Error('--compare-baseline needs --backend latency');
  return backend === 'latency' && !flags.has('no-compare-baseline');
}

function int(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
}
