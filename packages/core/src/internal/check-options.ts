/**
 * The one validator of options objects, used by every factory of every package: a misspelled or
 * unknown option fails with `ERR_INVALID_ARGUMENT` naming it, instead of being silently ignored.
 * Each options type lists its names once with {@link optionNames}; the mapped type makes the list
 * complete, so a new option is one line in the interface and one line in its list (a missing line
 * does not compile).
 */
import { invalidArgument } from '../errors';

/** Every option name of `T`, each mapped to `true`: the form {@link optionNames} takes. */
export type OptionNameList<T> = { readonly [K in keyof Required<T>]: true };

/** The names a factory accepts, as built by {@link optionNames}. */
export type OptionNames = ReadonlySet<string>;

/**
 * Lists the option names of an options type, plus those of the types it extends.
 * @param names - one `name: true` entry per option of `T` (a missing or extra entry does not compile)
 * @param include - the names of options types `T` extends (e.g. {@link STORE_OPTIONS})
 * @returns the set of accepted names, for {@link checkOptions} and {@link pickOptions}
 * @example
 * ```ts
 * export const MEMORY_STORE_OPTIONS = optionNames<MemoryBackingOptions>({ map: true }, STORE_OPTIONS);
 * ```
 */
export function optionNames<T>(names: OptionNameList<T>, ...include: readonly OptionNames[]): OptionNames {
  return new Set([...Object.keys(names), ...include.flatMap((more) => [...more])]);
}

/**
 * Checks an options argument: `undefined`, or an object whose every own key is an accepted name.
 * @param name - the function the options were given to, for the message
 * @param options - the argument as received
 * @param allowed - the accepted names
 * @returns nothing; throws `ERR_INVALID_ARGUMENT` naming the first unknown option (and the
 *   accepted name it resembles), or saying that `options` is not an object
 * @example
 * ```ts
 * checkOptions('connectMemoryStore', options, MEMORY_STORE_OPTIONS);
 * ```
 */
export function checkOptions(name: string, options: unknown, allowed: OptionNames): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`${name} takes an options object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) throw invalidArgument(`${name}: unknown option '${key}'${hint(key, allowed)}; accepted: ${[...allowed].join(', ')}`);
  }
}

/**
 * The entries of `options` whose names are in `names`: what a `connectXStore` hands to
 * `createStore` (store options) or to its backing factory (backing options).
 * @param options - checked options
 * @param names - the names to keep
 * @returns a new object with only those entries
 */
export function pickOptions<T extends object>(options: T | undefined, names: OptionNames): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(options ?? {})) if (names.has(key)) (out as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
  return out;
}

function hint(key: string, allowed: OptionNames): string {
  const near = [...allowed].find((name) => distance(key.toLowerCase(), name.toLowerCase()) <= 2);
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
}

/** Levenshtein distance, for the "did you mean" hint of a misspelled option. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
