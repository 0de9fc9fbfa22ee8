/** The `konserve-rx-bench` program: parse flags, run, print the table, write JSON and SVG. */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from './args';
import { missingBackend } from './backends';
import type { ProgressStream } from '../progress';
import { describeRun, markdownReport, writeResults } from './report';
import { runBenchmark } from './run';
import { cdfChart } from './svg';
import { USAGE } from './usage';

/** Where the program reads and writes; tests pass their own. */
export interface BenchIO {
  /** Receives the markdown report and the written paths. */
  stdout: ProgressStream;
  /** Receives progress and errors. */
  stderr: ProgressStream;
  /** The folder relative paths and the default output are resolved against. */
  cwd: string;
}

/**
 * Runs the benchmark program.
 * @param argv - the arguments after the script name
 * @param io - output streams and working folder
 * @returns a promise of the exit code: 0 on success, 2 on bad flags or a backend whose package is not installed
 */
export async function main(argv: readonly string[], io: BenchIO = processIO()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv, defaultOut(io.cwd));
  } catch (error) {
    io.stderr.write(`konserve-rx-bench: ${(error as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const { config } = parsed;
  const missing = await missingBackend(config);
  if (missing !== undefined) {
    io.stderr.write(`konserve-rx-bench: ${missing}\n`);
    return 2;
  }
  const { result, series } = await runBenchmark(config, io.stderr);
  const title = `konserve-rx ${config.backend} store: latency CDF, ${describeRun(config)}`;
  const name = `konserve-rx-bench-${config.backend}-${result.date.replace(/[:.]/g, '-')}`;
  const paths = writeResults(resolve(io.cwd, config.out), name, result, cdfChart(series, { title, xScale: config.xScale }));
  const shown = (file: string): string => (isAbsolute(config.out) ? file : relative(io.cwd, file));
  io.stdout.write(`${markdownReport(result)}\nWrote ${shown(paths.json)}\nWrote ${shown(paths.svg)}\n`);
  return 0;
}

/** The default output folder: `bench/results` inside the konserve-rx repo, else `./konserve-rx-bench`. */
export function defaultOut(cwd: string): string {
  return existsSync(join(cwd, 'bench', 'package.json')) ? join('bench', 'results') : 'konserve-rx-bench';
}

function processIO(): BenchIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
