/**
 * The test functions the compliance suite registers its tests with. The suite never imports a
 * runner: it takes `describe`/`it`/`expect` and the per-test hooks from a {@link ComplianceHarness},
 * so the same suite runs under jest, vitest, node:test (with an `expect` library) and in a browser
 * page. Without one, it uses the runner's globals (jest and vitest with `globals: true` inject them).
 */
import type { expect as JestExpect } from '@jest/globals';

/** A test body: may return a promise the runner waits for. */
export type TestBody = () => unknown;

/** `describe`: registers a block of tests; `skip` registers it as skipped. */
export interface DescribeLike {
  (title: string, body: () => void): void;
  /** Registers the block as skipped (its title says why). */
  skip(title: string, body: () => void): void;
}

/** `it`: registers one test; `skip` registers it as skipped. */
export interface ItLike {
  (title: string, body: TestBody, timeout?: number): void;
  /** Registers the test as skipped (its title says why). */
  skip(title: string, body: TestBody): void;
}

/** The assertion function: jest's `expect` (the `expect` package), or one with the same matchers. */
export type ExpectLike = typeof JestExpect;

/** The test functions the compliance suite registers with. */
export interface ComplianceHarness {
  /** Registers a block of tests. */
  readonly describe: DescribeLike;
  /** Registers one test. */
  readonly it: ItLike;
  /** Makes assertions; the suite uses jest's matchers (`toBe`, `toEqual`, `toMatchObject`, ...). */
  readonly expect: ExpectLike;
  /** Runs `fn` before each test of the current block. */
  readonly beforeEach: (fn: TestBody) => void;
  /** Runs `fn` after each test of the current block. */
  readonly afterEach: (fn: TestBody) => void;
}

const NAMES = ['describe', 'it', 'expect', 'beforeEach', 'afterEach'] as const;

/**
 * The harness to use: the one given, or the runner's globals.
 * @param given - an explicit harness, if the caller passed one
 * @returns a complete harness; throws an `Error` naming what is missing when there is no
 * harness and no runner globals (pass `harness` in the options then)
 */
export function resolveHarness(given?: ComplianceHarness): ComplianceHarness {
  if (given) return given;
  const g = globalThis as Record<string, unknown>;
  const missing = NAMES.filter((name) => typeof g[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `the compliance suite needs a test harness: no global ${missing.join(', ')}; pass { harness: { describe, it, expect, beforeEach, afterEach } }`,
    );
  }
  return g as unknown as ComplianceHarness;
}

/**
 * Registers one test per row, as jest's `it.each(table)(title, fn)` with a `%s` title: `%s` is
 * replaced by the row's first element (a label), and `fn` receives the row's elements.
 * @param it - the harness's `it`
 * @param table - the rows, each starting with its label
 * @param title - the test title, with `%s` where the label goes
 * @param fn - the test body, called with the row's elements
 */
export function eachIt<Row extends readonly unknown[]>(it: ItLike, table: readonly Row[], title: string, fn: (...row: Row) => unknown): void {
  for (const row of table) it(title.replace('%s', String(row[0])), () => fn(...row));
}
