/** A wall clock that never goes backwards, for `Meta.lastWrite` and expiry. */

/** Returns a function giving `now()` or the last value it returned, whichever is later, in milliseconds. */
export function monotoneNow(now: () => number = Date.now): () => number {
  let last = -Infinity;
  return () => {
    const t = now();
    last = t > last ? t : last;
    return last;
  };
}

/** Returns a function giving `now()` or the last value it returned, whichever is later. */
export function monotoneClock(now: () => number = Date.now): () => Date {
  const next = monotoneNow(now);
  return () => new Date(next());
}
