/**
 * `npm run bench`: every konserve-rx benchmark in one run, side by side with the limits and the
 * peers: memory, durable, scale, batch, redis and postgres (each skipped, with the reason, without its server). Prints a markdown report on stdout (progress on
 * stderr) and writes bench/results/konserve-rx.json (konserve-rx-quick.json with --quick).
 *
 * Usage: node [--expose-gc] dist/run-all.js [--quick] [--only memory,durable,scale,batch,redis,postgres] [--out <dir>]
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
import { verdicts, type Sections } from './targets';

/** The sections, in run order. */
export const SECTIONS = ['memory', 'durable', 'scale', 'batch', 'redis', 'postgres'] as const;
export type SectionName = (typeof SECTIONS)[number];

/** Runs the chosen sections and returns the whole result (no files written). */
export async function runAll(settings: Settings, only: ReadonlySet<SectionName>, log: Log): Promise<RunResult> {
  const machine = machineNow();
  const date = new Date().toISOString();
  const sections: { -readonly [K in keyof Sections]: Sections[K] } = {};
  if (only.has('memory')) sections.memory = await runMemory(settings, log);
  if (only.has('durable')) sections.durable = await runDurable(settings, log);
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
    ...sections,
    verdicts: verdicts(sections),
  };
}

/** Parsed command line. */
interface Args {
  readonly quick: boolean;
  readonly only: Set<SectionName>;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let only = new Set<SectionName>(SECTIONS);
  let out = resolve(__dirname, '..', 'results');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only') only = sectionsOf(argv[++i]);
    else if (a.startsWith('--only=')) only = sectionsOf(a.slice('--only='.length));
    else if (a === '--out') out = resolve(argv[++i] ?? out);
    else if (a.startsWith('--out=')) out = resolve(a.slice('--out='.length));
    else throw new Error(`unknown argument ${a}; usage: run-all.js [--quick] [--only ${SECTIONS.join(',')}] [--out <dir>]`);
  }
  return { quick, only, out };
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
    const result = await runAll(settings, args.only, log);
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
