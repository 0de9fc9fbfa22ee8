/**
 * Property-based tests (fast-check): random sequences of Store operations on each backend give
 * the same observable results as the reference model, a plain Map applied in order.
 * - sequential: after every step, every key's value / log / binary, `exists` and `keys()` are
 *   compared (`runWorkload` with `verifyEachStep`);
 * - concurrent: batches of operations are subscribed all at once, and each result must equal the
 *   model applied in subscription order (the per-key order guarantee), on memory, and on core's
 *   reference backing with seeded delays, where operations complete out of order.
 * The fs and Redis runs are in their packages (property.test.ts), with the same arbitraries.
 * Fixed seeds make every run replay; on failure fast-check prints the seed, the path and the
 * shrunk counterexample (`fc.assert(..., { seed, path })` replays it).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { createStore, type Store } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';
import { createModel, runConcurrently, runWorkload, verifyAll, workloadArbitraries } from '@konserve-rx/faults';
import { memoryBacking } from '@konserve-rx/memory';

const SEED = 20261124;

const { op: opArb, lockedOp: lockedOpArb } = workloadArbitraries(fc);

// -- backends ------------------------------------------------------------------------------------

interface Backend {
  readonly name: string;
  /** A fresh, empty store. */
  readonly open: () => Store;
  readonly sequentialRuns: number;
  readonly concurrentRuns: number;
}

let delaySeed = 1;
const BACKENDS: Backend[] = [
  { name: 'memory', open: () => createStore(memoryBacking()), sequentialRuns: 80, concurrentRuns: 60 },
  {
    name: 'out-of-order (reference backing with seeded delays)',
    open: () => createStore(referenceBacking({ delays: { max: 1, seed: delaySeed++ } })),
    sequentialRuns: 12,
    concurrentRuns: 25,
  },
];

for (const backend of BACKENDS) {
  describe(`property: ${backend.name} behaves like the model`, () => {
    it(`random op sequences give the model's results, and every key reads as the model says after each step (${backend.sequentialRuns} runs, seed ${SEED})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), async (ops) => {
          const store = backend.open();
          try {
            const report = await runWorkload({ store, ops, verifyEachStep: true });
            expect(report.violations).toEqual([]);
          } finally {
            await lastValueFrom(store.close());
          }
        }),
        { seed: SEED, numRuns: backend.sequentialRuns, endOnFailure: backend.name !== 'memory' },
      );
    });

    it(`batches subscribed at once give, per key, the model applied in subscription order (${backend.concurrentRuns} runs, seed ${SEED + 1})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(lockedOpArb, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }), async (batches) => {
          const store = backend.open();
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
        { seed: SEED + 1, numRuns: backend.concurrentRuns, endOnFailure: backend.name !== 'memory' },
      );
    });
  });
}
