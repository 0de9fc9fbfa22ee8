/** Reads `--name value` / `--name=value` flags into a map, rejecting flags the program does not know. */

/** Flags that take no value. */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set(['help', 'compare-baseline', 'no-compare-baseline', 'no-progress']);

/** Flags that take a value. */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  'ops',
  'read-ratio',
  'keys',
  'value-size',
  'concurrency',
  'warmup',
  'seed',
  'backend',
  'path',
  'failure-rate',
  'latency',
  'distribution',
  'ms',
  'min',
  'max',
  'mean',
  'stddev',
  'median',
  'p99',
  'mu',
  'sigma',
  'rounds',
  'out',
  'x-scale',
]);

/** Every flag `konserve-rx-bench` accepts (names without `--`); the `--help` text lists exactly these. */
export const KNOWN_FLAGS: ReadonlySet<string> = new Set([...BOOLEAN_FLAGS, ...VALUE_FLAGS]);

/**
 * Splits the arguments into flags; boolean flags map to `'true'`.
 * @param argv - the arguments after the script name
 * @returns flag name (without `--`) to raw value; throws an `Error` on an unknown flag (a typo
 *   must not silently run the default workload), a stray argument or a missing value
 */
export function readFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)} (flags start with --)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!KNOWN_FLAGS.has(name)) throw new Error(`unknown flag --${name}`);
    if (eq !== -1) flags.set(name, arg.slice(eq + 1));
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, 'true');
    else if (i + 1 < argv.length) flags.set(name, argv[++i] as string);
    else throw new Error(`--${name} needs a value`);
  }
  return flags;
}

/**
 * Reads a numeric flag, failing with the flag's name when it is not a number.
 * @param flags - the parsed flags
 * @param name - the flag name
 * @param fallback - the value when the flag is absent
 * @returns the number
 */
export function numberFlag(flags: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}
