/**
 * The measuring machinery: a callback-driven pool (so synchronous Observables complete without a
 * microtask per operation, and every contender pays the same driver), interleaved rounds (every
 * contender runs once per round, in a rotated order, so a noisy neighbour hurts all of them alike),
 * and a calibration step that sizes each case to a time budget.
 */
import { performance } from 'node:perf_hooks';
import type { Observable } from 'rxjs';
import { median } from '@konserve-rx/bench';
import { runPool, type StartTask } from '@konserve-rx/bench';

export { median };

/** Starts operation `i`; calls `done` exactly once (with an error on failure), synchronously or later. */
export type Start = StartTask;

/** A Start over a Promise-returning operation. */
export function promised(op: (i: number) => PromiseLike<unknown>): Start {
  return (i, done) => {
    op(i).then(() => done(), done);
  };
}

/** A Start over an Observable-returning operation: done on completion. */
export function observed(op: (i: number) => Observable<unknown>): Start {
  return (i, done) => {
    op(i).subscribe({ error: done, complete: () => done() });
  };
}

/**
 * Runs operations `0..count-1` with at most `inFlight` (≥ 1) at once: the pool the
 * `konserve-rx-bench` CLI uses too, so the two benchmarks drive their contenders the same way.
 * @returns the wall time in milliseconds; rejects with the first error
 */
export { runPool };

/** One thing to measure in this process: a named operation run `ops` times with `inFlight` at once. */
export interface Case {
  /** Unique id, e.g. `memory/get/konserve-rx`. */
  readonly id: string;
  /** Operations in flight at once. */
  readonly inFlight: number;
  /** Starts one operation. */
  readonly start: Start;
}

/** A case that runs and times itself elsewhere (a contender's own process, see `isolated.ts`). */
export interface RemoteCase {
  readonly id: string;
  readonly inFlight: number;
  /** Runs `count` operations and reports their wall and CPU time. */
  readonly time: (count: number) => Promise<Timing>;
}

/** What {@link interleave} measures: a case run here, or one that runs elsewhere. */
export type AnyCase = Case | RemoteCase;

/** Times `count` operations of a case, wherever it runs. */
function timeCase(c: AnyCase, count: number): Promise<Timing> {
  return 'time' in c ? c.time(count) : timePool(count, c.inFlight, c.start);
}

/** How long each case should run per round, and the bounds of its operation count. */
export interface Budget {
  /** Target time per case per round, in ms. */
  readonly ms: number;
  /** Operations of the calibration run. */
  readonly calibrate: number;
  readonly minOps: number;
  readonly maxOps: number;
}

/** The measured throughputs of one case. */
export interface Measured {
  readonly id: string;
  /** Operations per round. */
  readonly ops: number;
  readonly inFlight: number;
  /** Which time the headline numbers (`rounds`, `median`, `best`) divide by. */
  readonly clock: Clock;
  /** Operations per second, one per round, in round order. */
  readonly rounds: number[];
  /** Median over rounds. */
  readonly median: number;
  /** Best round. */
  readonly best: number;
  /** Per round, by the other clock (wall when `clock` is cpu, and the reverse), for the JSON. */
  readonly otherRounds: number[];
}

/**
 * `wall`: operations per second of elapsed time (what a user waits; includes waiting for the disk
 * and any time the OS gave the CPU to other processes). `cpu`: operations per second of this
 * process's CPU time (user + system): the cost of the code itself, far less disturbed by other
 * work on a shared machine, so the clock of the CPU-bound sections.
 */
export type Clock = 'wall' | 'cpu';

/** Elapsed wall and process CPU time of one run, in ms. */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Runs the pool and measures both clocks. */
export async function timePool(count: number, inFlight: number, start: Start): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const wallMs = await runPool(count, inFlight, start);
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Called after each case of each round (for progress). */
export type OnStep = () => void;

/**
 * Collects garbage now when the process runs with `--expose-gc`. Only for memory baselines: a
 * forced full GC shrinks V8's young generation, which makes the next few hundred milliseconds of
 * allocation-heavy code 2-3x slower, so it must never run between timed rounds.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Warm-up runs of a case at most (each of `budget.calibrate` operations). */
const WARM_UP_RUNS = 200;

/**
 * Measures `cases` side by side: warm-up runs of each for about `budget.ms`, then a calibration
 * run (none counted) sizes it to `budget.ms`, then `rounds` rounds run every case once, in an
 * order rotated each round.
 * @returns one {@link Measured} per case, in the order given
 */
export async function interleave(cases: readonly AnyCase[], rounds: number, budget: Budget, onStep?: OnStep, clock: Clock = 'wall'): Promise<Measured[]> {
  const sizes = new Map<string, number>();
  const pick = (t: Timing): number => (clock === 'wall' ? t.wallMs : t.cpuMs);
  for (const c of cases) {
    // warm-up until the case has run for a round's time: a count alone left an operation of
    // 0.15 µs (the bare floors) warmed for under a millisecond, before V8 had settled how to
    // compile it, and its rate then moved by up to 40% between runs. The last run, on warm code,
    // sizes the case.
    let warm = 0;
    for (let n = 0; n < WARM_UP_RUNS && warm < budget.ms; n++) warm += pick(await timeCase(c, budget.calibrate));
    const t = await timeCase(c, budget.calibrate);
    const rate = (budget.calibrate * 1000) / Math.max(pick(t), 0.001);
    sizes.set(c.id, Math.round(Math.min(budget.maxOps, Math.max(budget.minOps, (rate * budget.ms) / 1000))));
    onStep?.();
  }
  const samples = new Map<string, { main: number[]; other: number[] }>(cases.map((c) => [c.id, { main: [], other: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length]!;
      const ops = sizes.get(c.id)!;
      const t = await timeCase(c, ops);
      const rate = (ms: number): number => (ops * 1000) / Math.max(ms, 0.001);
      const s = samples.get(c.id)!;
      s.main.push(rate(pick(t)));
      s.other.push(rate(clock === 'wall' ? t.cpuMs : t.wallMs));
      onStep?.();
    }
  }
  return cases.map((c) => {
    const { main, other } = samples.get(c.id)!;
    return { id: c.id, ops: sizes.get(c.id)!, inFlight: c.inFlight, clock, rounds: main, median: median(main), best: Math.max(...main), otherRounds: other };
  });
}

/** Runs `f` `n` times interleaved with the others (see {@link interleave}), timing each call in ms. */
export async function timeRounds(
  tasks: ReadonlyArray<{ id: string; run: () => Promise<void> }>,
  rounds: number,
  onStep?: OnStep,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(tasks.map((t) => [t.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < tasks.length; k++) {
      const t = tasks[(k + r) % tasks.length]!;
      const t0 = performance.now();
      await t.run();
      out.get(t.id)!.push(performance.now() - t0);
      onStep?.();
    }
  }
  return out;
}
