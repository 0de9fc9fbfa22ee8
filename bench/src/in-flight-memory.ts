/**
 * What an operation holds while it waits: `count` gets (and assocs) of a memory store behind the
 * latency wrapper, parked on a long delay, against as many bare `new Promise((r) => setTimeout(r,
 * ms))`. Heap used after a full GC, with them parked, minus before, per operation (median of
 * `rounds`). Everything an operation holds is live at every scavenge that runs while it waits, and
 * is copied by it: with 100 in flight, this decides how long those pauses are (docs/performance.md,
 * round six). Prints a markdown table and writes bench/results/in-flight-memory.json.
 * Run: `node bench/dist/in-flight-memory.js [count] [rounds]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createStore, type Store } from '@konserve-rx/core';
import { latencyBacking } from '@konserve-rx/latency';
import { memoryBacking } from '@konserve-rx/memory';
import { VirtualTimeScheduler, type Subscription } from 'rxjs';
import { fullGc, lowMedian } from './heap';

/** The contenders, in report order. */
export const IN_FLIGHT_CONTENDERS = [
  'konserve-rx get over the latency wrapper',
  'konserve-rx assoc over the latency wrapper',
  'bare Promise + setTimeout',
] as const;
/** One of {@link IN_FLIGHT_CONTENDERS}. */
export type InFlightContender = (typeof IN_FLIGHT_CONTENDERS)[number];

/** One contender's result. */
export interface InFlightRow {
  readonly contender: InFlightContender;
  /** Bytes of heap held per parked operation: the median over the rounds. */
  readonly bytesPerOp: number;
  /** Every round's figure. */
  readonly rounds: number[];
}

/** How long a parked operation waits: far longer than a measurement takes. */
const PARK_MS = 60_000;

/** Parks `count` operations of one contender; returns the bytes held per operation and a release. */
function park(contender: InFlightContender, count: number, gc: () => void): { bytes: number; release: () => void } {
  const payload = 'x'.repeat(100);
  if (contender === 'bare Promise + setTimeout') {
    gc();
    const before = process.memoryUsage().heapUsed;
    const timers: NodeJS.Timeout[] = [];
    const parked: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) parked.push(new Promise<void>((r) => void timers.push(setTimeout(r, PARK_MS))));
    gc();
    const bytes = (process.memoryUsage().heapUsed - before) / count;
    return {
      bytes,
      release: () => {
        timers.forEach((t) => clearTimeout(t));
        // emptied, not just dropped: a suspended async caller may keep this closure in a stale
        // register for a while, and what it reaches would then be freed during the next measurement
        timers.length = 0;
        parked.length = 0;
      },
    };
  }
  const inner = memoryBacking();
  const direct = createStore(inner);
  // every key exists, and its KeyRef is cached, before the measurement: neither is per operation
  // (the memory store answers within subscribe: all of this is synchronous, see measureInFlightMemory)
  for (let i = 0; i < count; i++) direct.assoc(`key-${i}`, { i, payload }).subscribe();
  for (let i = 0; i < count; i++) direct.get(`key-${i}`).subscribe();
  // a virtual clock that is never advanced: the calls wait for good, and hold no timer of Node's
  // (so the process can end; a real timer would add a Timeout per 0.1 ms bucket, a few bytes per call)
  const scheduler = new VirtualTimeScheduler();
  const store: Store = createStore(latencyBacking(inner, { latency: PARK_MS, seed: 1, scheduler }));
  const values = Array.from({ length: count }, (_, i) => ({ i: -i, payload }));
  gc();
  const before = process.memoryUsage().heapUsed;
  const subs: Subscription[] = [];
  const get = contender === 'konserve-rx get over the latency wrapper';
  for (let i = 0; i < count; i++) subs.push((get ? store.get(`key-${i}`) : store.assoc(`key-${i}`, values[i])).subscribe({ error: () => undefined }));
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  return {
    bytes,
    // the scheduler's queue is what holds the parked calls (as Node's timer lists hold real ones):
    // it must stay reachable until measured, or the collector frees what is being measured
    release: () => {
      subs.forEach((s) => s.unsubscribe());
      subs.length = 0;
      scheduler.actions.length = 0;
    },
  };
}

/**
 * Measures every contender `rounds` times with `count` operations parked, each measurement in a
 * child process of its own: in one process, what one contender parked was sometimes still
 * reachable (from a slot some module keeps, or a register) when the next one measured, and was
 * freed during its measurement (negative figures).
 * @param count - operations parked at once
 * @param rounds - measurements per contender, alternating contenders
 * @returns one row per contender
 */
export function measureInFlightMemory(count: number, rounds: number): InFlightRow[] {
  const runs = new Map<InFlightContender, number[]>(IN_FLIGHT_CONTENDERS.map((c) => [c, []]));
  for (let r = 0; r < rounds; r++) {
    for (const contender of IN_FLIGHT_CONTENDERS) {
      const out = execFileSync(process.execPath, [CHILD, CHILD_FLAG, contender, String(count)], { encoding: 'utf8' });
      runs.get(contender)!.push(Number(out.trim()));
    }
  }
  return IN_FLIGHT_CONTENDERS.map((contender) => ({ contender, bytesPerOp: lowMedian(runs.get(contender)!), rounds: runs.get(contender)! }));
}

/** Marks a child process's command line: it measures one contender once and prints the figure. */
const CHILD_FLAG = '--in-flight-child';
/** The compiled script the children run (from the sources too, as under jest: the build is there). */
const CHILD = join(__dirname, '..', 'dist', 'in-flight-memory.js');

/**
 * One measurement, in this (child) process, handed to `done`: a small warm-up parking first (so
 * compiled code is not counted), then two event-loop turns, in which whatever the warm-up left for
 * later (finalization tasks) runs, then the measured one.
 */
function measureOnce(contender: InFlightContender, count: number, done: (bytes: number) => void): void {
  const gc = fullGc();
  park(contender, Math.min(count, 200), gc).release();
  setImmediate(() =>
    setImmediate(() => {
      const measured = park(contender, count, gc);
      // released, so that the bare contender's timers do not hold the process for PARK_MS
      measured.release();
      done(measured.bytes);
    }),
  );
}

function main(): void {
  const count = Number(process.argv[2] ?? 2000);
  const rounds = Number(process.argv[3] ?? 5);
  const rows = measureInFlightMemory(count, rounds);
  console.log(`Heap held per operation in flight: ${count} operations parked on a ${PARK_MS / 1000} s delay, median of ${rounds} rounds\n`);
  console.log('| contender | bytes per operation | rounds |');
  console.log('| --- | ---: | --- |');
  for (const row of rows) console.log(`| ${row.contender} | ${Math.round(row.bytesPerOp)} | ${row.rounds.map((b) => Math.round(b)).join(', ')} |`);
  const dir = resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'in-flight-memory.json');
  writeFileSync(file, `${JSON.stringify({ benchmark: 'in-flight-memory', count, rounds, parkMs: PARK_MS, node: process.version, rows }, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

if (require.main === module) {
  if (process.argv[2] === CHILD_FLAG) measureOnce(process.argv[3] as InFlightContender, Number(process.argv[4]), (bytes) => process.stdout.write(`${bytes}\n`));
  else main();
}
