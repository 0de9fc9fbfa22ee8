/** Heap measurements of the memory benchmarks: full collections on demand, and the median they report. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Full garbage collections until the heap stops shrinking, with or without `--expose-gc`: one is
 * not enough after a store was dropped (weak entries are cleared in one collection and what they
 * held freed in the next), and the leftovers of one contender made the next one's figure negative.
 */
export function fullGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed === undefined) setFlagsFromString('--expose-gc');
  const gc = exposed ?? (runInNewContext('gc') as () => void);
  return () => {
    let used = Infinity;
    for (let i = 0; i < 8 && process.memoryUsage().heapUsed < used; i++) {
      used = process.memoryUsage().heapUsed;
      gc();
    }
  };
}

/** The median of `xs`; of an even count, the lower of the middle two (a measured value, not a mean of two). */
export function lowMedian(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}
