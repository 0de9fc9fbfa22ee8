import { describe, expect, it } from '@jest/globals';
import { cdfChart, escapeXml, niceStep } from '../src/cli/svg';
import { cdf } from '../src/cli/stats';
import { checkWellFormed } from './helpers/xml';

/** The x tick labels and their x positions, left to right. */
function xTickPositions(svg: string): Array<{ value: number; x: number }> {
  return [...svg.matchAll(/<text class="x-tick" x="([\d.]+)"[^>]*>([^<]+)<\/text>/g)].map((m) => ({ x: Number(m[1]), value: Number(m[2]) }));
}

function xTicks(svg: string): number[] {
  return xTickPositions(svg).map((t) => t.value);
}

/** Where the rightmost point of any line sits along the x axis, from 0 (left end) to 1 (right end). */
function rightmostPoint(svg: string): number {
  const axis = /<line class="x-axis" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"/.exec(svg);
  expect(axis).not.toBeNull();
  const [x1, x2] = [Number(axis?.[1]), Number(axis?.[2])];
  const xs = [...svg.matchAll(/points="([^"]*)"/g)].flatMap((m) => (m[1] as string).split(' ').map((p) => Number(p.split(',')[0])));
  return (Math.max(...xs) - x1) / (x2 - x1);
}

describe('cdfChart', () => {
  const series = [
    { name: 'store get', samples: [1, 2, 3, 4, 5] },
    { name: 'baseline <all> & "more"', samples: Array.from({ length: 1000 }, (_, i) => i / 100) },
  ];
  const svg = cdfChart(series, { title: 'latency <CDF> & co' });

  it('is well-formed XML with an svg root', () => {
    const names = checkWellFormed(svg);
    expect(names[0]).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it('draws one polyline per series, named by data-series, with escaped text', () => {
    const lines = [...svg.matchAll(/<polyline data-series="([^"]*)"[^>]*points="([^"]*)"/g)];
    expect(lines.map((m) => m[1])).toEqual(['store get', 'baseline &#60;all&#62; &#38; &#34;more&#34;']);
    expect(svg).toContain('latency &#60;CDF&#62; &#38; co');
    const points = (lines[1]?.[2] ?? '').split(' ');
    expect(points.length).toBeLessThanOrEqual(402);
    expect(points.length).toBeGreaterThan(100);
  });

  it('draws guides at p50, p95 and p99 and an x axis reaching past the largest sample', () => {
    expect(svg.match(/class="guide"/g)).toHaveLength(3);
    expect(xTicks(svg).at(-1)).toBeGreaterThanOrEqual(9.99);
  });

  it('fits the linear x axis to the data: samples up to 5.01 ms end it at 6 ms, not 10', () => {
    const fitted = cdfChart([{ name: 'a', samples: [0.2, 1, 3, 5.01] }], { title: 't' });
    const ticks = xTicks(fitted);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(6);
    const steps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
    expect(new Set(steps.map((d) => d.toFixed(6))).size).toBe(1);
    expect(rightmostPoint(fitted)).toBeGreaterThanOrEqual(0.8);
  });

  it.each([0.013, 1.01, 7, 10.01, 73, 999])('keeps the largest sample (%p ms) in the right fifth of a linear axis', (max) => {
    const chart = cdfChart([{ name: 'a', samples: [0, max / 3, max] }], { title: 't' });
    expect(xTicks(chart).at(-1)).toBeGreaterThanOrEqual(max);
    expect(rightmostPoint(chart)).toBeGreaterThanOrEqual(0.7);
    expect(rightmostPoint(chart)).toBeLessThanOrEqual(1);
  });

  it('offers a log x axis: decades equally wide, spanning the data, titled as log scale', () => {
    const chart = cdfChart([{ name: 'a', samples: [0.5, 1, 10, 100, 150] }], { title: 't', xScale: 'log' });
    expect(checkWellFormed(chart)[0]).toBe('svg');
    const ticks = xTickPositions(chart);
    expect(ticks.map((t) => t.value)).toEqual([0.1, 1, 10, 100, 1000]);
    const widths = ticks.slice(1).map((t, i) => t.x - (ticks[i] as { x: number }).x);
    for (const w of widths) expect(w).toBeCloseTo(widths[0] as number, 0);
    expect(chart).toMatch(/class="x-title"[^>]*>latency \(ms, log scale\)</);
  });

  it('draws zero latencies at the left end of a log axis', () => {
    const chart = cdfChart([{ name: 'a', samples: [0, 0, 2, 30] }], { title: 't', xScale: 'log' });
    expect(checkWellFormed(chart)[0]).toBe('svg');
    expect(chart).not.toMatch(/NaN|Infinity/);
  });

  it('titles both axes', () => {
    expect(svg).toMatch(/<text[^>]*class="x-title"[^>]*>latency \(ms\)<\/text>/);
    expect(svg).toMatch(/<text[^>]*class="y-title"[^>]*transform="rotate\(-90[^"]*"[^>]*>operations at or below this latency<\/text>/);
    expect(svg).toMatch(/<text[^>]*class="title"[^>]*>latency &#60;CDF&#62; &#38; co<\/text>/);
  });

  it('survives no samples at all', () => {
    expect(() => checkWellFormed(cdfChart([{ name: 'empty', samples: [] }], { title: 't' }))).not.toThrow();
  });

  it('rejects malformed XML in the checker itself', () => {
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow();
    expect(() => checkWellFormed('<svg>a & b</svg>')).toThrow();
  });
});

describe('chart helpers', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('rounds tick steps up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.07, 0.7, 1, 1.002, 3, 4.9, 7, 12, 230].map(niceStep)).toEqual([1, 0.1, 1, 1, 2, 5, 5, 10, 20, 250]);
  });

  it('builds a thinned, increasing CDF ending at 1', () => {
    const points = cdf(
      Array.from({ length: 1000 }, (_, i) => 1000 - i),
      100,
    );
    expect(points).toHaveLength(100);
    expect(points[0]).toEqual({ x: 10, y: 0.01 });
    expect(points[points.length - 1]).toEqual({ x: 1000, y: 1 });
    expect(cdf([])).toEqual([]);
  });
});
