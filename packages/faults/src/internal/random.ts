/** A small seeded PRNG (mulberry32) with independent streams, so each kind of fault replays on its own. */

/** A source of uniform numbers in `[0, 1)`. */
export type Random = () => number;

// module-local aliases: a global lookup per call is slow inside vm contexts (jest), and these run millions of times
const imul = Math.imul;
const floor = Math.floor;

/** A mulberry32 generator seeded with the 32 low bits of `seed`. */
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

/** An independent seed for stream `stream` of `seed` (splitmix32 finaliser). */
export function deriveSeed(seed: number, stream: number): number {
  let z = (seed + imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** An integer in `[0, n)`. */
export function below(random: Random, n: number): number {
  return floor(random() * n);
}

/** A random 32-bit seed, for runs where the user gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
