/**
 * A clock for expiry tests that never waits on wall time: a virtual-time scheduler whose `now()`
 * is the store's clock once passed as `StoreOptions.scheduler`, moved forward by hand.
 */
import { VirtualTimeScheduler } from 'rxjs';

/** A hand-moved clock and the scheduler that carries it. */
export interface VirtualClock {
  /** Pass as `StoreOptions.scheduler`: its `now()` becomes the store's clock, its timers fire on {@link advance}. */
  readonly scheduler: VirtualTimeScheduler;
  /** The clock's time in milliseconds. */
  now(): number;
  /** Moves the clock forward by `ms`, running every timer due by then, in time order. */
  advance(ms: number): void;
}

/**
 * Creates a {@link VirtualClock}.
 * @param start - the clock's first reading, in milliseconds since the epoch
 * @returns the clock
 * @example
 * ```ts
 * const clock = virtualClock();
 * const store = createStore(memoryBacking(), { scheduler: clock.scheduler });
 * await lastValueFrom(store.assoc('k', 1, { ttl: 1000 }));
 * clock.advance(1000); // 'k' has expired
 * ```
 */
export function virtualClock(start = Date.UTC(2030, 0, 1)): VirtualClock {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = start;
  return {
    scheduler,
    now: () => scheduler.now(),
    advance(ms) {
      const target = scheduler.frame + ms;
      scheduler.maxFrames = target;
      scheduler.flush();
      scheduler.frame = target;
    },
  };
}
