/**
 * A small `expect` with the matchers the compliance suite uses, for a browser page: jest's own
 * `expect` package reaches into Node (graceful-fs, process), but its equality rules live in
 * `@jest/expect-utils`, which bundles for the browser, so `toEqual` and `toMatchObject` here judge
 * exactly as jest does.
 */
import { arrayBufferEquality, equals, iterableEquality, sparseArrayEquality, subsetEquality, typeEquality } from '@jest/expect-utils';
import type { ExpectLike } from '@konserve-rx/core/testing';

type Matchers = Record<string, (...expected: unknown[]) => void>;

/** An asymmetric matcher as `equals` understands it. */
const asymmetric = (name: string, match: (other: unknown) => boolean) => ({
  asymmetricMatch: match,
  toString: () => name,
  $$typeof: Symbol.for('jest.asymmetricMatcher'),
});

const show = (v: unknown): string => {
  try {
    return typeof v === 'string'
      ? JSON.stringify(v)
      : v instanceof Error
        ? `${v.name}: ${v.message}`
        : String(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? v);
  } catch {
    return String(v);
  }
};

/** The positive form of every matcher: `pass(actual, ...expected)` and what a failure says. */
const MATCHERS: Record<string, (actual: unknown, ...expected: unknown[]) => boolean> = {
  toBe: (a, e) => Object.is(a, e),
  toEqual: (a, e) => equals(a, e, [iterableEquality]),
  toStrictEqual: (a, e) => equals(a, e, [iterableEquality, typeEquality, sparseArrayEquality, arrayBufferEquality], true),
  toMatchObject: (a, e) => equals(a, e, [iterableEquality, subsetEquality]),
  toBeUndefined: (a) => a === undefined,
  toBeInstanceOf: (a, e) => a instanceof (e as new () => unknown),
  toHaveLength: (a, e) => (a as { length?: unknown } | null)?.length === e,
  toContain: (a, e) => (typeof a === 'string' ? a.includes(e as string) : [...(a as Iterable<unknown>)].includes(e)),
  toContainEqual: (a, e) => [...(a as Iterable<unknown>)].some((x) => equals(x, e, [iterableEquality])),
  toMatch: (a, e) => (e instanceof RegExp ? e.test(a as string) : (a as string).includes(e as string)),
  toBeGreaterThan: (a, e) => (a as number) > (e as number),
  toBeGreaterThanOrEqual: (a, e) => (a as number) >= (e as number),
  toBeLessThan: (a, e) => (a as number) < (e as number),
  toBeLessThanOrEqual: (a, e) => (a as number) <= (e as number),
  toBeDefined: (a) => a !== undefined,
  toBeTruthy: (a) => !!a,
  toBeFalsy: (a) => !a,
  toThrow: (a, e) => {
    try {
      (a as () => unknown)();
      return false;
    } catch (err) {
      return e === undefined || equals(err, e, [iterableEquality, subsetEquality]);
    }
  },
};

function matchers(actual: unknown, negated: boolean): Matchers {
  const out: Matchers = {};
  for (const [name, pass] of Object.entries(MATCHERS)) {
    out[name] = (...expected) => {
      if (pass(actual, ...expected) === negated) {
        throw new Error(`expect(${show(actual)})${negated ? '.not' : ''}.${name}(${expected.map(show).join(', ')}) failed`);
      }
    };
  }
  return out;
}

/**
 * `expect(actual)` with the matchers above (and `.not`), plus `expect.objectContaining`,
 * `expect.arrayContaining` and `expect.any`.
 */
export const miniExpect = Object.assign((actual: unknown) => ({ ...matchers(actual, false), not: matchers(actual, true) }), {
  objectContaining: (fields: object) => asymmetric(`ObjectContaining ${show(fields)}`, (o) => equals(o, fields, [iterableEquality, subsetEquality])),
  arrayContaining: (items: unknown[]) =>
    asymmetric(`ArrayContaining ${show(items)}`, (o) => Array.isArray(o) && items.every((item) => o.some((x) => equals(x, item, [iterableEquality])))),
  any: (type: unknown) =>
    asymmetric(`Any`, (o) => (type === String ? typeof o === 'string' : type === Number ? typeof o === 'number' : o instanceof (type as new () => unknown))),
}) as unknown as ExpectLike;
