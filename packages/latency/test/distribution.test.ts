import { describe, expect, it } from '@jest/globals';
import { createSampler } from '../src/distribution';
import type { LatencySpec } from '../src/options';
import { mulberry32 } from '@konserve-rx/core';
import { summarize } from '../src/percentiles';

function draw(spec: LatencySpec, seed: number, n: number): number[] {
  const sample = createSampler(spec);
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => sample('read', random));
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('latency distributions', () => {
  const n = 20000;
  it.each<[string, LatencySpec, number, number]>([
    ['fixed number', 3, 3, 0],
    ['fixed', { distribution: 'fixed', ms: 7 }, 7, 0],
    ['uniform', { distribution: 'uniform', min: 2, max: 10 }, 6, 0.15],
    ['normal', { distribution: 'normal', mean: 20, stddev: 4 }, 20, 0.2],
    ['exponential', { distribution: 'exponential', mean: 4 }, 4, 0.15],
    ['lognormal mu/sigma', { distribution: 'lognormal', mu: 1, sigma: 0.5 }, Math.exp(1 + 0.125), 0.1],
  ])('%s is reproducible with a seed and has the expected mean', (_name, spec, expected, tolerance) => {
    const xs = draw(spec, 7, n);
    expect(draw(spec, 7, n)).toEqual(xs);
    expect(Math.abs(mean(xs) - expected)).toBeLessThanOrEqual(tolerance + 1e-9);
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
  });

  it('uniform stays within [min, max)', () => {
    const xs = draw({ distribution: 'uniform', min: 1, max: 2 }, 3, 5000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...xs)).toBeLessThan(2);
  });

  it('normal is clamped at 0', () => {
    const xs = draw({ distribution: 'normal', mean: 0, stddev: 5 }, 11, 5000);
    expect(Math.min(...xs)).toBe(0);
    expect(xs.filter((x) => x === 0).length).toBeGreaterThan(2000);
  });

  it('lognormal given median and p99 hits both', () => {
    const s = summarize(draw({ distribution: 'lognormal', median: 2, p99: 40 }, 5, n));
    expect(s.p50).toBeGreaterThan(1.85);
    expect(s.p50).toBeLessThan(2.15);
    expect(s.p99).toBeGreaterThan(33);
    expect(s.p99).toBeLessThan(48);
  });

  it('passes the operation and the seeded PRNG to a latency function, clamping bad results', () => {
    const seen: string[] = [];
    const sample = createSampler((op, random) => {
      seen.push(op);
      return random() < 2 ? -5 : 1;
    });
    expect(sample('write', mulberry32(1))).toBe(0);
    expect(createSampler(() => Number.NaN)('read', mulberry32(1))).toBe(0);
    expect(seen).toEqual(['write']);
  });

  it.each<[string, LatencySpec]>([
    ['negative fixed', -1],
    ['uniform min > max', { distribution: 'uniform', min: 5, max: 1 }],
    ['negative stddev', { distribution: 'normal', mean: 1, stddev: -1 }],
    ['exponential mean 0', { distribution: 'exponential', mean: 0 }],
    ['lognormal p99 < median', { distribution: 'lognormal', median: 5, p99: 1 }],
    ['unknown name', { distribution: 'pareto' } as unknown as LatencySpec],
  ])('rejects %s with ERR_INVALID_ARGUMENT', (_name, spec) => {
    expect(() => createSampler(spec)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
