import { describe, expect, it } from '@jest/globals';
import { percentile, summarize } from '../src/percentiles';

describe('percentiles', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('uses the nearest rank on known data', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBe(0);
  });

  it('summarises unsorted samples without changing them', () => {
    const samples = [...oneToHundred].reverse();
    const s = summarize(samples);
    expect(s).toEqual({ count: 100, mean: 50.5, min: 1, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(samples[0]).toBe(100);
  });

  it('handles ten samples and an empty set', () => {
    const s = summarize([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect([s.p50, s.p95, s.p99, s.max]).toEqual([5, 10, 10, 10]);
    expect(summarize([])).toEqual({ count: 0, mean: 0, min: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
