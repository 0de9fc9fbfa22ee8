/** Runs numbered asynchronous tasks with an optional cap on how many run at once. */
import { performance } from 'node:perf_hooks';

/** Starts task `index`; the task calls `done` exactly once (with an error on failure), synchronously or later. */
export type StartTask = (index: number, done: (error?: unknown) => void) => void;

/**
 * Runs `count` tasks, at most `concurrency` at a time (0 = all at once). The same pool drives
 * the store run and the Promise baseline, so the harness costs both sides the same.
 * @param count - how many tasks
 * @param concurrency - the cap; 0 means no cap
 * @param start - starts one task
 * @returns a promise of the wall time in milliseconds from the first start to the last `done`;
 *   it rejects with the first error a task reports, and starts no task after that
 */
export function runPool(count: number, concurrency: number, start: StartTask): Promise<number> {
  const limit = concurrency === 0 ? count : Math.min(concurrency, count);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    if (count === 0) return resolve(0);
    let next = 0;
    let active = 0;
    let finished = 0;
    let pumping = false;
    let failed = false;
    const done = (error?: unknown): void => {
      if (failed) return;
      if (error !== undefined) {
        failed = true;
        return reject(error);
      }
      active--;
      if (++finished === count) resolve(performance.now() - t0);
      else pump();
    };
    // A loop instead of recursion: a synchronous backend calls `done` inside `start`,
    // which would otherwise nest one stack frame per task.
    const pump = (): void => {
      if (pumping) return;
      pumping = true;
      while (active < limit && next < count && !failed) {
        active++;
        start(next++, done);
      }
      pumping = false;
    };
    pump();
  });
}
