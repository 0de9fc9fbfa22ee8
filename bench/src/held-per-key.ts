/**
 * What a memory store keeps per key: `count` keys written (the CLI's value, `{ i, payload }` with
 * a 100-byte payload), then read once each, then read a second time. Heap used and bytes in
 * ArrayBuffers after full collections, minus the same for the empty store, per key (median of
 * `rounds`; each measurement in a child process of its own, as in in-flight-memory.ts). The blobs'
 * bytes live in ArrayBuffers (the memory backing's arenas and core's slabs); the heap holds the
 * Map, the blob views and whatever reading leaves behind. Prints a markdown table and writes
 * bench/results/held-per-key.json. Run: `node bench/dist/held-per-key.js [count] [rounds]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createStore, type Store } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { fullGc, lowMedian } from './heap';

/** The stages measured, in report order: each does what the previous one did, and one more pass. */
export const HELD_STAGES = ['written', 'written, then read once', 'written, then read twice'] as const;
/** One of {@link HELD_STAGES}. */
export type HeldStage = (typeof HELD_STAGES)[number];

/** One stage's result. */
export interface HeldRow {
  readonly stage: HeldStage;
  /** Heap bytes per key: the median over the rounds. */
  readonly heapPerKey: number;
  /** ArrayBuffer bytes per key: the median over the rounds. */
  readonly buffersPerKey: number;
  /** Every round's heap figure. */
  readonly heapRounds: number[];
}

/** Fills a fresh memory store to `stage` with `count` keys, synchronously (the memory store answers within subscribe). */
function fill(store: Store, stage: HeldStage, count: number): void {
  const payload = 'x'.repeat(100);
  for (let i = 0; i < count; i++) store.assoc(`key-${i}`, { i, payload }).subscribe();
  const reads = HELD_STAGES.indexOf(stage);
  for (let pass = 0; pass < reads; pass++) for (let i = 0; i < count; i++) store.get(`key-${i}`).subscribe();
}

/** One measurement in this (child) process: a small warm-up fill first (so compiled code is not counted), then the measured one. */
function measureOnce(stage: HeldStage, count: number): { heap: number; buffers: number } {
  const gc = fullGc();
  fill(createStore(memoryBacking()), stage, Math.min(count, 500));
  const store = createStore(memoryBacking());
  // every key is a new string of the measured store's own: its KeyRef is cached per string, and counted
  const keys = Array.from({ length: count }, (_, i) => `key-${i}`);
  gc();
  const before = process.memoryUsage();
  fill(store, stage, count);
  gc();
  const after = process.memoryUsage();
  // the store and the keys stay reachable until measured
  if (keys.length !== count || store === undefined) throw new Error('unreachable');
  return { heap: (after.heapUsed - before.heapUsed) / count, buffers: (after.arrayBuffers - before.arrayBuffers) / count };
}

/**
 * Measures every stage `rounds` times with `count` keys, each measurement in a child process.
 * @param count - keys written (and read)
 * @param rounds - measurements per stage, alternating stages
 * @returns one row per stage
 */
export function measureHeldPerKey(count: number, rounds: number): HeldRow[] {
  const heap = new Map<HeldStage, number[]>(HELD_STAGES.map((s) => [s, []]));
  const buffers = new Map<HeldStage, number[]>(HELD_STAGES.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    for (const stage of HELD_STAGES) {
      const out = execFileSync(process.execPath, [CHILD, CHILD_FLAG, stage, String(count)], { encoding: 'utf8' });
      const [h, b] = out.trim().split(' ').map(Number);
      heap.get(stage)!.push(h!);
      buffers.get(stage)!.push(b!);
    }
  }
  return HELD_STAGES.map((stage) => ({
    stage,
    heapPerKey: lowMedian(heap.get(stage)!),
    buffersPerKey: lowMedian(buffers.get(stage)!),
    heapRounds: heap.get(stage)!,
  }));
}

/** Marks a child process's command line: it measures one stage once and prints the figures. */
const CHILD_FLAG = '--held-child';
/** The compiled script the children run (from the sources too, as under jest: the build is there). */
const CHILD = join(__dirname, '..', 'dist', 'held-per-key.js');

function main(): void {
  const count = Number(process.argv[2] ?? 20000);
  const rounds = Number(process.argv[3] ?? 5);
  const rows = measureHeldPerKey(count, rounds);
  console.log(`What a memory store keeps per key: ${count} keys of a 100-byte payload, median of ${rounds} rounds\n`);
  console.log('| stage | heap bytes per key | ArrayBuffer bytes per key | heap, rounds |');
  console.log('| --- | ---: | ---: | --- |');
  for (const row of rows) {
    console.log(`| ${row.stage} | ${Math.round(row.heapPerKey)} | ${Math.round(row.buffersPerKey)} | ${row.heapRounds.map((b) => Math.round(b)).join(', ')} |`);
  }
  const dir = resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'held-per-key.json');
  writeFileSync(file, `${JSON.stringify({ benchmark: 'held-per-key', count, rounds, node: process.version, rows }, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

if (require.main === module) {
  if (process.argv[2] === CHILD_FLAG) {
    const { heap, buffers } = measureOnce(process.argv[3] as HeldStage, Number(process.argv[4]));
    process.stdout.write(`${heap} ${buffers}\n`);
  } else main();
}
