/** The one seeded PRNG: the latency and fault wrappers, the benchmarks and core/testing all draw from it. */
import { describe, expect, it } from '@jest/globals';
import { deriveSeed, mulberry32, randomSeed } from '@konserve-rx/core';
import { seededRandom } from '@konserve-rx/core/testing';

describe('mulberry32', () => {
  it('replays the same sequence for the same seed and differs for another', () => {
    const seqA = Array.from({ length: 5 }, mulberry32(42));
    expect(Array.from({ length: 5 }, mulberry32(42))).toEqual(seqA);
    expect(Array.from({ length: 5 }, mulberry32(43))).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('keeps the sequence recorded seeds replay (the draws the three former copies made)', () => {
    expect(Array.from({ length: 3 }, mulberry32(42))).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(Array.from({ length: 3 }, seededRandom(42))).toEqual(Array.from({ length: 3 }, mulberry32(42)));
  });

  it('derives distinct, stable stream seeds', () => {
    expect(deriveSeed(1, 1)).toBe(314344336);
    expect(deriveSeed(7, 0)).toBe(588686121);
    expect(deriveSeed(1, 1)).not.toBe(deriveSeed(1, 2));
    expect(deriveSeed(1, 1)).not.toBe(1);
  });

  it('draws 32-bit random seeds', () => {
    const seed = randomSeed();
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});
