/** Core's seeded PRNG with independent streams (so each kind of fault replays on its own), and integer draws. */
import type { Random } from '@konserve-rx/core';

export { deriveSeed, mulberry32, randomSeed } from '@konserve-rx/core';
export type { Random } from '@konserve-rx/core';

// a module-local alias: a global lookup per call is slow inside vm contexts (jest), and this runs millions of times
const floor = Math.floor;

/** An integer in `[0, n)`. */
export function below(random: Random, n: number): number {
  return floor(random() * n);
}
