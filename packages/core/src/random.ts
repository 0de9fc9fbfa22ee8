/**
 * The one seeded PRNG of konserve-rx (mulberry32) and its stream splitter, shared by the latency
 * and fault wrappers, the benchmarks and the test seam, so that a seed means the same draws everywhere.
 */

/** A source of uniform numbers in `[0, 1)`. */
export type Random = () => number;

// Module-local aliases: a global lookup per call is slow inside vm contexts (jest), and a
// generator runs millions of times in the fault and benchmark workloads.
const imul = Math.imul;

/**
 * Creates a mulberry32 generator: 32 bits of state, a handful of integer operations per draw.
 * @param seed - any number; its 32 low bits are the state
 * @returns a function giving the next uniform number in `[0, 1)` on each call
 * @example
 * ```ts
 * const random = mulberry32(42);
 * const delay = 5 * random();
 * ```
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Derives an independent seed for a second stream (splitmix32 finaliser), so that e.g. failure
 * draws do not shift the latency draws of the same seed.
 * @param seed - the user's seed
 * @param stream - the stream number (0 gives a different seed than `seed` itself)
 * @returns a 32-bit seed
 */
export function deriveSeed(seed: number, stream: number): number {
  let z = (seed + imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A random 32-bit seed, for runs where the user gave none (read it back to replay the run).
 * @returns an integer in `[0, 2^32)`
 */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
