/** A wall clock that never goes backwards, for `Meta.lastWrite`. */

/** Returns a function giving `now()` or the last value it returned, whichever is later. */
export function monotoneClock(now: () => number = Date.now): () => Date {
  let last = -Infinity;
  return () => {
    const t = now();
    last = t > last ? t : last;
    return new Date(last);
  };
}
