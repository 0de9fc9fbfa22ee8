/** A hand-written SVG chart of latency CDFs: one line per series, percentile guides, a legend, titled axes. */
import type { ChartScale } from './config';
import { cdf, type CdfPoint } from './stats';
import { xAxis, type XAxis } from './x-axis';

export { niceStep } from './x-axis';

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
  /** The scale of the latency axis. @default 'linear' */
  xScale?: ChartScale;
  /** The width in pixels. @default 760 */
  width?: number;
  /** The height in pixels. @default 420 */
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const GUIDES = [0.5, 0.95, 0.99];
const M = { left: 72, right: 190, top: 44, bottom: 52 };

/** The plot area and the two mappings from data to pixels. */
interface Frame {
  readonly plotW: number;
  readonly plotH: number;
  readonly axis: XAxis;
  sx(x: number): number;
  sy(y: number): number;
}

/**
 * Draws the cumulative distribution of each series' latencies: x is milliseconds (an axis fitted
 * to the largest sample, or logarithmic), y the share of operations at or below it, with dashed
 * guides at p50, p95 and p99.
 * @param series - the lines to draw
 * @param options - title, axis scale and size
 * @returns a standalone SVG document
 */
export function cdfChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const curves = series.map((s) => ({ name: s.name, points: cdf(s.samples, 400) }));
  const axis = xAxis(
    curves.flatMap((c) => c.points.map((p) => p.x)),
    options.xScale ?? 'linear',
  );
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const frame: Frame = { plotW, plotH, axis, sx: (x) => M.left + axis.toUnit(x) * plotW, sy: (y) => M.top + (1 - y) * plotH };
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
    ...axes(frame),
    ...curves.map((c, i) => line(c.name, c.points, COLORS[i % COLORS.length] as string, frame)),
    ...curves.map((c, i) => legend(c.name, i, COLORS[i % COLORS.length] as string, width - M.right + 16)),
    `</svg>`,
  ];
  return `${parts.join('\n')}\n`;
}

function axes(f: Frame): string[] {
  const bottom = M.top + f.plotH;
  const out = [`<g class="axes" stroke="#333333">`];
  out.push(`<line class="x-axis" x1="${M.left}" y1="${bottom}" x2="${M.left + f.plotW}" y2="${bottom}"/>`);
  out.push(`<line class="y-axis" x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${bottom}"/>`);
  for (const x of f.axis.ticks) {
    out.push(`<text class="x-tick" x="${fmt(f.sx(x))}" y="${bottom + 18}" text-anchor="middle" stroke="none">${fmtTick(x)}</text>`);
  }
  for (const y of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<text x="${M.left - 8}" y="${fmt(f.sy(y) + 4)}" text-anchor="end" stroke="none">${y * 100}%</text>`);
  }
  for (const g of GUIDES) {
    out.push(`<line class="guide" x1="${M.left}" y1="${fmt(f.sy(g))}" x2="${M.left + f.plotW}" y2="${fmt(f.sy(g))}" stroke="#bbbbbb" stroke-dasharray="4 4"/>`);
    out.push(`<text x="${M.left + f.plotW + 4}" y="${fmt(f.sy(g) + 4)}" stroke="none" fill="#777777">p${g * 100}</text>`);
  }
  out.push(`<text class="x-title" x="${M.left + f.plotW / 2}" y="${bottom + 40}" text-anchor="middle" stroke="none">${f.axis.title}</text>`);
  const yMid = fmt(M.top + f.plotH / 2);
  out.push(
    `<text class="y-title" x="18" y="${yMid}" transform="rotate(-90 18 ${yMid})" text-anchor="middle" stroke="none">operations at or below this latency</text>`,
  );
  out.push(`</g>`);
  return out;
}

function line(name: string, points: CdfPoint[], color: string, f: Frame): string {
  const coords = [`${fmt(f.sx(0))},${fmt(f.sy(0))}`, ...points.map((p) => `${fmt(f.sx(p.x))},${fmt(f.sy(p.y))}`)];
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

function fmt(n: number): string {
  return n.toFixed(1);
}

/** A tick label without floating-point noise (3 * 0.005 prints as 0.015). */
function fmtTick(x: number): string {
  return String(Number(x.toPrecision(10)));
}
