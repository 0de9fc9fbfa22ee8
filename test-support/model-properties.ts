/**
 * The property-based model check every backend runs (fast-check): random sequences of Store
 * operations give the same results as `@konserve-rx/faults`' reference model.
 * - sequential: after every step, every key's value / log / binary, `exists` and `keys()` are
 *   compared (`runWorkload` with `verifyEachStep`), through `clean` when the subject has one;
 * - concurrent: batches of operations are subscribed all at once, and each result must equal the
 *   model applied in subscription order (the per-key order guarantee).
 * Fixed seeds make every run replay; on failure fast-check prints the seed, the path and the
 * shrunk counterexample (`fc.assert(..., { seed, path })` replays it).
 */
import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { createModel, runConcurrently, runWorkload, verifyAll, workloadArbitraries } from '@konserve-rx/faults';

/** A fresh, empty store to check, and optionally a second view of what really reached storage. */
export interface ModelSubject {
  readonly store: Store;
  /** Reads the same data through another connection; the checks read through it when given. */
  readonly clean?: Store;
  close(): Promise<void>;
}

/** How many runs of each property, and from which seed (the concurrent one uses `seed + 1`). */
export interface ModelPropertyOptions {
  readonly seed: number;
  readonly sequentialRuns: number;
  readonly concurrentRuns: number;
  /** Stop at the first failure instead of shrinking it (shrinking a slow backend takes minutes). @default true */
  readonly endOnFailure?: boolean;
  /** Said in the sequential test's title after "after each step". @default '' */
  readonly through?: string;
}

/** A subject over one store and nothing else. */
export function storeSubject(store: Store): ModelSubject {
  return { store, close: async () => void (await lastValueFrom(store.close())) };
}

/**
 * Declares the two property tests (call inside a `describe`).
 * @param open - a fresh subject per run
 */
export function modelProperties(open: () => ModelSubject | Promise<ModelSubject>, options: ModelPropertyOptions): void {
  const { seed, sequentialRuns, concurrentRuns, endOnFailure = true, through = '' } = options;
  const { op, lockedOp } = workloadArbitraries(fc);

  it(`random op sequences give the model's results, and every key reads as the model says after each step${through} (${sequentialRuns} runs, seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const { store, clean, close } = await open();
        try {
          const report = await runWorkload({ store, ...(clean === undefined ? {} : { clean }), ops, verifyEachStep: true });
          expect(report.violations).toEqual([]);
        } finally {
          await close();
        }
      }),
      { seed, numRuns: sequentialRuns, endOnFailure },
    );
  });

  it(`batches subscribed at once give, per key, the model applied in subscription order (${concurrentRuns} runs, seed ${seed + 1})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(lockedOp, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        const { store, clean, close } = await open();
        const model = createModel();
        try {
          for (const batch of batches) {
            expect(await runConcurrently(store, batch, model)).toEqual([]);
            expect(await verifyAll(clean ?? store, model)).toBeUndefined();
          }
        } finally {
          await close();
        }
      }),
      { seed: seed + 1, numRuns: concurrentRuns, endOnFailure },
    );
  });
}
