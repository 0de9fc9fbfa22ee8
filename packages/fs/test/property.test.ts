/**
 * Property-based tests (fast-check) over the file backing (fsync off): random sequences of Store
 * operations give the same results as the reference model, as on memory and Redis (the same
 * arbitraries and checks, from `@konserve-rx/faults`).
 * - sequential: after every step, every key's value / log / binary, `exists` and `keys()` are
 *   compared (`runWorkload` with `verifyEachStep`);
 * - concurrent: batches of operations are subscribed all at once, and each result must equal the
 *   model applied in subscription order (the per-key order guarantee).
 * Fixed seeds make every run replay; on failure fast-check prints the seed, the path and the
 * shrunk counterexample (`fc.assert(..., { seed, path })` replays it).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { createStore, type Store } from '@konserve-rx/core';
import { createModel, runConcurrently, runWorkload, verifyAll, workloadArbitraries } from '@konserve-rx/faults';
import { fileBacking } from '@konserve-rx/fs';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const SEED = 20261124;
const SEQUENTIAL_RUNS = 15;
const CONCURRENT_RUNS = 15;
const { op: opArb, lockedOp: lockedOpArb } = workloadArbitraries(fc);

const open = (): Store => createStore(fileBacking({ path: tempDir('konserve-prop-'), fsync: false }));

describe('property: fs behaves like the model', () => {
  it(`random op sequences give the model's results, and every key reads as the model says after each step (${SEQUENTIAL_RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), async (ops) => {
        const store = open();
        try {
          const report = await runWorkload({ store, ops, verifyEachStep: true });
          expect(report.violations).toEqual([]);
        } finally {
          await lastValueFrom(store.close());
        }
      }),
      { seed: SEED, numRuns: SEQUENTIAL_RUNS, endOnFailure: true },
    );
  });

  it(`batches subscribed at once give, per key, the model applied in subscription order (${CONCURRENT_RUNS} runs, seed ${SEED + 1})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(lockedOpArb, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        const store = open();
        const model = createModel();
        try {
          for (const batch of batches) {
            expect(await runConcurrently(store, batch, model)).toEqual([]);
            expect(await verifyAll(store, model)).toBeUndefined();
          }
        } finally {
          await lastValueFrom(store.close());
        }
      }),
      { seed: SEED + 1, numRuns: CONCURRENT_RUNS, endOnFailure: true },
    );
  });
});
