/** The chart's latency axis: fitted to the data on a linear scale, or in whole decades on a log scale. */
import type { ChartScale } from './config';

/** An x axis: where each latency sits along it, its tick values, and its title. */
export interface XAxis {
  /** The position of `x` milliseconds from 0 (left end) to 1 (right end); values outside are clamped. */
  toUnit(x: number): number;
  /** The tick values, left to right, the first at the left end and the last at the right end. */
  readonly ticks: readonly number[];
  /** The axis title. */
  readonly title: string;
}

/** How many intervals a linear axis aims for. */
const LINEAR_INTERVALS = 5;
/** The most decades a log axis spans, so a stray near-zero sample cannot squash the rest. */
const MAX_DECADES = 6;

/**
 * Builds the x axis for latencies.
 * @param samples - every latency drawn, in milliseconds
 * @param scale - `linear` (0 to just past the largest sample) or `log` (whole decades around the data)
 * @returns the axis
 */
export function xAxis(samples: readonly number[], scale: ChartScale): XAxis {
  const max = samples.reduce((a, b) => Math.max(a, b), 0);
  return scale === 'log' ? logAxis(samples, max) : linearAxis(max);
}

/**
 * The smallest of 1, 2, 2.5 or 5 times a power of ten that is >= `x` (1 for x <= 0): a tick step
 * a reader can add up.
 * @param x - the raw step
 * @returns the rounded step
 */
export function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const exponent = Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5]) if (tidy(m * 10 ** exponent) >= x) return tidy(m * 10 ** exponent);
  return tidy(10 ** (exponent + 1));
}

// The axis ends at the first tick at or past the largest sample: at most one step (< 2/5 of the
// range) of empty space, instead of rounding the maximum itself up, which could double it.
function linearAxis(max: number): XAxis {
  const step = niceStep(max / LINEAR_INTERVALS);
  const intervals = Math.max(1, Math.ceil(tidy(max / step)));
  const end = tidy(intervals * step);
  const ticks = Array.from({ length: intervals + 1 }, (_, i) => tidy(i * step));
  return { ticks, title: 'latency (ms)', toUnit: (x) => clamp01(x / end) };
}

function logAxis(samples: readonly number[], max: number): XAxis {
  const positive = samples.filter((x) => x > 0);
  const min = positive.reduce((a, b) => Math.min(a, b), Infinity);
  const hiExp = positive.length === 0 ? 1 : Math.ceil(Math.log10(max));
  const loExp = positive.length === 0 ? 0 : Math.max(Math.floor(Math.log10(min)), hiExp - MAX_DECADES);
  const top = hiExp > loExp ? hiExp : loExp + 1;
  const ticks = Array.from({ length: top - loExp + 1 }, (_, i) => tidy(10 ** (loExp + i)));
  const toUnit = (x: number): number => (x > 0 ? clamp01((Math.log10(x) - loExp) / (top - loExp)) : 0);
  return { ticks, title: 'latency (ms, log scale)', toUnit };
}

/** Drops floating-point noise, so 3 * 0.005 is 0.015 and 10 ** -1 is 0.1. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

function clamp01(u: number): number {
  return Math.min(1, Math.max(0, u));
}
