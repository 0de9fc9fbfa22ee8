import { describe, expect, it } from '@jest/globals';
import { cdfChart, escapeXml, niceCeil } from '../src/cli/svg';
import { cdf } from '../src/cli/stats';
import { checkWellFormed } from './helpers/xml';

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
    expect(svg).toContain('>10</text>');
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

  it('rounds axis maxima up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.7, 1, 3, 4.9, 7, 12, 230].map(niceCeil)).toEqual([1, 1, 1, 5, 5, 10, 20, 250]);
  });

  it('builds a thinned, increasing CDF ending at 1', () => {
    const points = cdf(Array.from({ length: 1000 }, (_, i) => 1000 - i), 100);
    expect(points).toHaveLength(100);
    expect(points[0]).toEqual({ x: 10, y: 0.01 });
    expect(points[points.length - 1]).toEqual({ x: 1000, y: 1 });
    expect(cdf([])).toEqual([]);
  });
});
