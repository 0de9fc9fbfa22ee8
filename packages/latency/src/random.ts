/** Normal draws over core's seeded PRNG (`mulberry32`), for the normal and log-normal delays. */
import type { Random } from '@konserve-rx/core';

export type { Random } from '@konserve-rx/core';

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
