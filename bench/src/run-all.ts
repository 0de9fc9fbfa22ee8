/**
 * `npm run bench`: every konserve-rx benchmark in one run, side by side with the limits and the
 * peers: memory, durable, scale, batch, redis and postgres (each skipped, with the reason, without its server). Prints a markdown report on stdout (progress on
 * stderr) and writes bench/results/konserve-rx.json (konserve-rx-quick.json with --quick).
 *
 * With `--runs N`, the memory and durable sections run N times (each in fresh contender
 * processes): the tables show the last run, and a spread table shows how much each row's median
 * moved between runs.
 *
 * Usage: node [--expose-gc] dist/run-all.js [--quick] [--only memory,durable,scale,batch,redis,postgres] [--runs N] [--out <dir>]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DOCUMENT_BYTES, machineNow, markdown, type RunResult } from './report';
import { runBatch } from './sections/batch';
import { runDurable } from './sections/durable';
import { streamLog, type Log } from './sections/log';
import { runMemory } from './sections/memory';
import { runPostgres } from './sections/postgres';
import { runRedis } from './sections/redis';
import { runScale } from './sections/scale';
import { defaultSettings, quickSettings, type Settings } from './settings';
import { spreadOver, spreadVerdicts, type SpreadRun } from './spread';
import { verdicts, type Sections } from './targets';

/** The sections, in run order. */
export const SECTIONS = ['memory', 'durable', 'scale', 'batch', 'redis', 'postgres'] as const;
export type SectionName = (typeof SECTIONS)[number];

/**
 * Runs the chosen sections and returns the whole result (no files written); memory and durable
 * run `runs` times, the others once.
 */
export async function runAll(settings: Settings, only: ReadonlySet<SectionName>, log: Log, runs = 1): Promise<RunResult> {
  const machine = machineNow();
  const date = new Date().toISOString();
  const sections: { -readonly [K in keyof Sections]: Sections[K] } = {};
  const repeated: SpreadRun[] = [];
  for (let r = 0; r < runs; r++) {
    if (runs > 1) log.note(`run ${r + 1} of ${runs} of the memory and durable sections`);
    if (only.has('memory')) sections.memory = await runMemory(settings, log);
    if (only.has('durable')) sections.durable = await runDurable(settings, log);
    repeated.push({ ...(sections.memory ? { memory: sections.memory } : {}), ...(sections.durable ? { durable: sections.durable } : {}) });
  }
  const spread = runs > 1 ? spreadOver(repeated) : undefined;
  if (only.has('scale')) sections.scale = await runScale(settings, log);
  if (only.has('batch')) sections.batch = await runBatch(settings, log);
  if (only.has('redis')) sections.redis = await runRedis(settings, log);
  if (only.has('postgres')) sections.postgres = await runPostgres(settings, log);
  return {
    tool: 'konserve-rx-bench',
    version: 1,
    date,
    node: process.version,
    machine: { ...machine, loadEnd: loadavg()[0]! },
    quick: settings.quick,
    documentBytes: DOCUMENT_BYTES,
    runs,
    ...sections,
    ...(spread ? { spread } : {}),
    verdicts: [...verdicts(sections), ...(spread ? spreadVerdicts(spread) : [])],
  };
}

/** Parsed command line. */
interface Args {
  readonly quick: boolean;
  readonly only: Set<SectionName>;
  readonly out: string;
  readonly runs: number;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let only = new Set<SectionName>(SECTIONS);
  let out = resolve(__dirname, '..', 'results');
  let runs = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only') only = sectionsOf(argv[++i]);
    else if (a.startsWith('--only=')) only = sectionsOf(a.slice('--only='.length));
    else if (a === '--runs') runs = runsOf(argv[++i]);
    else if (a.startsWith('--runs=')) runs = runsOf(a.slice('--runs='.length));
    else if (a === '--out') out = resolve(argv[++i] ?? out);
    else if (a.startsWith('--out=')) out = resolve(a.slice('--out='.length));
    else throw new Error(`unknown argument ${a}; usage: run-all.js [--quick] [--only ${SECTIONS.join(',')}] [--runs N] [--out <dir>]`);
  }
  return { quick, only, out, runs };
}

function runsOf(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--runs takes a whole number ≥ 1, got ${String(text)}`);
  return n;
}

function sectionsOf(list: string | undefined): Set<SectionName> {
  const names = (list ?? '').split(',').filter((s) => s !== '');
  for (const n of names) if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`unknown section ${n}; sections: ${SECTIONS.join(', ')}`);
  return new Set(names as SectionName[]);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'konserve-rx-bench-'));
  const log = streamLog(process.stderr);
  if (!(globalThis as { gc?: unknown }).gc) log.note('note: run with node --expose-gc for steadier numbers (npm run bench does)');
  try {
    const settings = args.quick ? quickSettings(workDir) : defaultSettings(workDir);
    const result = await runAll(settings, args.only, log, args.runs);
    const report = markdown(result);
    process.stdout.write(report);
    mkdirSync(args.out, { recursive: true });
    const file = join(args.out, args.quick ? 'konserve-rx-quick.json' : 'konserve-rx.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log.note(`wrote ${file}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
