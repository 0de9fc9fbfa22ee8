/** The default scheduler of the latency backing: asyncScheduler's timers on a sub-millisecond clock. */
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * `asyncScheduler` with `performance.now()` as its clock. Its own clock, `Date.now()`, counts
 * whole milliseconds: calls made anywhere within one millisecond would read the same time, so a
 * delay would start up to 1 ms early or late and grouped calls would share a due time they do
 * not have. Only the clock differs; the timers are asyncScheduler's.
 */
export const preciseAsyncScheduler: SchedulerLike = {
  now: () => performance.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return asyncScheduler.schedule(work, delay, state);
  },
};
