/** A small seeded PRNG (mulberry32) and the samplers built on it, so every run can be replayed. */

/** A source of uniform numbers in `[0, 1)`. */
export type Random = () => number;

/**
 * Creates a mulberry32 generator: 32 bits of state, fast, and plenty for simulated latency.
 * @param seed - any number; it is truncated to 32 bits
 * @returns a function emitting the next uniform number in `[0, 1)` on each call
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
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
  let z = (seed + Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A random 32-bit seed, for runs where the user gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/**
 * Draws a standard normal number with the Box-Muller transform.
 * @param random - the uniform source
 * @returns a sample of N(0, 1)
 */
export function standardNormal(random: Random): number {
  // 1 - u keeps the logarithm's argument in (0, 1], so a draw of exactly 0 cannot give -Infinity.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
