/** Turns `--distribution` and its parameter flags into a {@link LatencySpec}. */
import type { LatencySpec } from '@konserve-rx/latency';
import { numberFlag } from './flags';

/**
 * Reads the latency flags: `--latency <ms>` (fixed), or `--distribution` with `--min/--max`,
 * `--mean/--stddev`, `--mean`, `--mu/--sigma` or `--median/--p99`.
 * @param flags - the parsed flags
 * @param fallback - the latency when no flag is given
 * @returns the latency setting; throws an `Error` naming a missing parameter
 */
export function latencyFromFlags(flags: ReadonlyMap<string, string>, fallback: LatencySpec): LatencySpec {
  const distribution = flags.get('distribution');
  const need = (name: string): number => {
    if (!flags.has(name)) throw new Error(`--distribution ${String(distribution)} needs --${name}`);
    return numberFlag(flags, name, 0);
  };
  switch (distribution) {
    case undefined:
      return flags.has('latency') ? numberFlag(flags, 'latency', 0) : fallback;
    case 'fixed':
      return { distribution, ms: flags.has('ms') ? need('ms') : need('latency') };
    case 'uniform':
      return { distribution, min: numberFlag(flags, 'min', 0), max: need('max') };
    case 'normal':
      return { distribution, mean: need('mean'), stddev: need('stddev') };
    case 'exponential':
      return { distribution, mean: need('mean') };
    case 'lognormal':
      return flags.has('median') ? { distribution, median: need('median'), p99: need('p99') } : { distribution, mu: need('mu'), sigma: need('sigma') };
    default:
      throw new Error(`unknown --distribution ${JSON.stringify(distribution)} (fixed, uniform, normal, exponential, lognormal)`);
  }
}
