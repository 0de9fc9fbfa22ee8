/**
 * A minimal test runner for a browser page: `describe`/`it`/`beforeEach`/`afterEach` build a
 * tree, `runTests` runs it in order (hooks of enclosing blocks too) and reports every test. It is
 * what the compliance suite's `harness` option receives in Chromium.
 */
import type { ComplianceHarness, TestBody } from '@konserve-rx/core/testing';
import { miniExpect } from './mini-expect';

/** One test's outcome. */
export interface TestResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly error?: string;
}

interface Block {
  readonly title: string;
  readonly skipped: boolean;
  readonly before: TestBody[];
  readonly after: TestBody[];
  readonly children: (Block | Test)[];
}
interface Test {
  readonly title: string;
  readonly body: TestBody;
  readonly skipped: boolean;
  readonly timeout: number;
}

/** A harness with its own tree, and the function that runs what was registered. */
export interface MiniHarness extends ComplianceHarness {
  /** Runs every registered test in order; resolves with one result per test. */
  run(filter?: (name: string) => boolean): Promise<TestResult[]>;
}

/**
 * Creates a fresh harness.
 * @param defaultTimeout - a test that runs longer fails, in ms
 * @returns the harness, ready to be passed to `runStoreCompliance({ harness })`
 */
export function miniHarness(defaultTimeout = 30_000): MiniHarness {
  const root: Block = { title: '', skipped: false, before: [], after: [], children: [] };
  let current = root;
  const block = (skipped: boolean) => (title: string, body: () => void) => {
    const child: Block = { title, skipped: skipped || current.skipped, before: [], after: [], children: [] };
    current.children.push(child);
    const parent = current;
    current = child;
    try {
      body();
    } finally {
      current = parent;
    }
  };
  const test = (skipped: boolean) => (title: string, body: TestBody, timeout?: number) =>
    void current.children.push({ title, body, skipped: skipped || current.skipped, timeout: timeout ?? defaultTimeout });
  return {
    describe: Object.assign(block(false), { skip: block(true) }),
    it: Object.assign(test(false), { skip: test(true) }),
    expect: miniExpect,
    beforeEach: (fn) => void current.before.push(fn),
    afterEach: (fn) => void current.after.push(fn),
    run: async (filter = () => true) => {
      const results: TestResult[] = [];
      await runBlock(root, [], [], [], results, filter);
      return results;
    },
  };
}

async function runBlock(
  block: Block,
  path: string[],
  before: TestBody[],
  after: TestBody[],
  out: TestResult[],
  filter: (name: string) => boolean,
): Promise<void> {
  const names = block.title ? [...path, block.title] : path;
  const allBefore = [...before, ...block.before];
  const allAfter = [...block.after, ...after];
  for (const child of block.children) {
    if ('children' in child) await runBlock(child, names, allBefore, allAfter, out, filter);
    else {
      const name = [...names, child.title].join(' › ');
      if (!filter(name)) continue;
      if (child.skipped) out.push({ name, status: 'skipped' });
      else out.push(await runTest(name, child, allBefore, allAfter));
    }
  }
}

async function runTest(name: string, test: Test, before: TestBody[], after: TestBody[]): Promise<TestResult> {
  let error: unknown;
  try {
    for (const hook of before) await hook();
    await withTimeout(Promise.resolve().then(test.body), test.timeout);
  } catch (e) {
    error = e;
  }
  try {
    for (const hook of after) await hook();
  } catch (e) {
    error ??= e;
  }
  return error === undefined ? { name, status: 'passed' } : { name, status: 'failed', error: String((error as Error)?.stack ?? error) };
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
