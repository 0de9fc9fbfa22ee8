/** A hand-written SVG chart of latency CDFs: one line per series, percentile guides, a legend. */
import { cdf, type CdfPoint } from './stats';

/** One line of the chart. */
export interface ChartSeries {
  /** The legend text, also the `data-series` attribute of its line. */
  name: string;
  /** Latencies in milliseconds. */
  samples: readonly number[];
}

/** Options of {@link cdfChart}. */
export interface ChartOptions {
  /** The chart title. */
  title: string;
  /** The width in pixels. @default 760 */
  width?: number;
  /** The height in pixels. @default 420 */
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const GUIDES = [0.5, 0.95, 0.99];
const M = { left: 64, right: 190, top: 44, bottom: 52 };

/**
 * Draws the cumulative distribution of each series' latencies: x is milliseconds, y the share
 * of operations at or below it, with dashed guides at p50, p95 and p99.
 * @param series - the lines to draw
 * @param options - title and size
 * @returns a standalone SVG document
 */
export function cdfChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const curves = series.map((s) => ({ name: s.name, points: cdf(s.samples, 400) }));
  const xMax = niceCeil(Math.max(0, ...curves.flatMap((c) => c.points.map((p) => p.x))));
  const sx = (x: number): number => M.left + (x / xMax) * plotW;
  const sy = (y: number): number => M.top + (1 - y) * plotH;
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
    ...axes(xMax, sx, sy, plotW, plotH),
    ...curves.map((c, i) => line(c.name, c.points, COLORS[i % COLORS.length] as string, sx, sy)),
    ...curves.map((c, i) => legend(c.name, i, COLORS[i % COLORS.length] as string, width - M.right + 16)),
    `</svg>`,
  ];
  return `${parts.join('\n')}\n`;
}

function axes(xMax: number, sx: (x: number) => number, sy: (y: number) => number, plotW: number, plotH: number): string[] {
  const out = [`<g class="axes" stroke="#333333">`];
  out.push(`<line x1="${M.left}" y1="${M.top + plotH}" x2="${M.left + plotW}" y2="${M.top + plotH}"/>`);
  out.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + plotH}"/>`);
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    out.push(`<text x="${fmt(sx(x))}" y="${M.top + plotH + 18}" text-anchor="middle" stroke="none">${fmtTick(x)}</text>`);
  }
  for (const y of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<text x="${M.left - 8}" y="${fmt(sy(y) + 4)}" text-anchor="end" stroke="none">${y * 100}%</text>`);
  }
  for (const g of GUIDES) {
    out.push(`<line class="guide" x1="${M.left}" y1="${fmt(sy(g))}" x2="${M.left + plotW}" y2="${fmt(sy(g))}" stroke="#bbbbbb" stroke-dasharray="4 4"/>`);
    out.push(`<text x="${M.left + plotW + 4}" y="${fmt(sy(g) + 4)}" stroke="none" fill="#777777">p${g * 100}</text>`);
  }
  out.push(`<text x="${M.left + plotW / 2}" y="${M.top + plotH + 40}" text-anchor="middle" stroke="none">latency (ms)</text>`);
  out.push(`</g>`);
  return out;
}

function line(name: string, points: CdfPoint[], color: string, sx: (x: number) => number, sy: (y: number) => number): string {
  const coords = [`${fmt(sx(0))},${fmt(sy(0))}`, ...points.map((p) => `${fmt(sx(p.x))},${fmt(sy(p.y))}`)];
  return `<polyline data-series="${escapeXml(name)}" fill="none" stroke="${color}" stroke-width="2" points="${coords.join(' ')}"/>`;
}

function legend(name: string, index: number, color: string, x: number): string {
  // Below the p95/p99 guide labels, which sit near the top right.
  const y = M.top + 100 + index * 20;
  return `<g class="legend"><line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" stroke="${color}" stroke-width="3"/><text x="${x + 26}" y="${y + 4}">${escapeXml(name)}</text></g>`;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is >= `x` (1 for x <= 0). */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= x) return m * power;
  return 10 * power;
}

function fmt(n: number): string {
  return n.toFixed(1);
}

function fmtTick(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, '');
}
