/** Groups delayed tasks by the tenth of a millisecond they are due, so thousands of calls share a few timers. */
import type { SchedulerLike } from 'rxjs';

/** Something to run once its delay is over: an object with a method, so queuing it allocates no closure. */
export interface DelayedTask {
  /** Runs the task; called once, from the scheduler's action. */
  fire(): void;
}

/** Runs `task` `ms` milliseconds after `now` (the scheduler's current time, read once by the caller). */
export type Delay = (now: number, ms: number, task: DelayedTask) => void;

/** Due times are grouped on a grid of 1 / TICKS_PER_MS milliseconds. */
const TICKS_PER_MS = 10;
/** The bucket of calls with no delay: they share the next timer turn, whatever the clock reads. */
const NEXT_TURN = -1;

/**
 * Creates a delay function backed by one scheduled action per due tick (a tenth of a
 * millisecond). Grouping saves one timer (and its rxjs action) per call, which is what made the
 * wrapper itself slow under 10,000 concurrent calls; a tick this fine moves no due time by more
 * than 0.05 ms, so the delays keep their distribution. The action is scheduled with the tick's
 * fractional delay, not a whole millisecond: Node fires a fractional timer on the first loop
 * turn past its due time, where a rounded one lands up to a millisecond off. Calls with no delay
 * all join one bucket until its action runs (as Node keeps every `setTimeout(f, 0)` in one list):
 * on a 0.1 ms grid they would otherwise make a timer per tick of call time.
 * Tasks due in the same tick run in call order, others in time order.
 * @param scheduler - the clock and timer source (a precise real-time one, or a TestScheduler in virtual time)
 * @returns the delay function
 */
export function createDelayQueue(scheduler: SchedulerLike): Delay {
  const buckets = new Map<number, DelayedTask[]>();
  return (now, ms, task) => {
    const tick = ms > 0 ? Math.round((now + ms) * TICKS_PER_MS) : NEXT_TURN;
    let bucket = buckets.get(tick);
    if (bucket === undefined) {
      const tasks: DelayedTask[] = (bucket = []);
      buckets.set(tick, tasks);
      scheduler.schedule(
        () => {
          buckets.delete(tick);
          for (const t of tasks) t.fire();
        },
        tick / TICKS_PER_MS - now,
      );
    }
    bucket.push(task);
  };
}
