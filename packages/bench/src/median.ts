/** The one median of the benchmarks: rounds of `npm run bench` and of `konserve-rx-bench` both use it. */

/**
 * The median of a list: the middle value, or the mean of the middle two for an even count.
 * @param values - numbers in any order (not modified)
 * @returns the median, or `NaN` for an empty list
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
