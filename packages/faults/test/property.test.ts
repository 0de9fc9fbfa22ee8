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
import { describe } from '@jest/globals';
import { createStore, type Store } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { modelProperties, storeSubject } from '../../../test-support/model-properties';

const SEED = 20261124;

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
    modelProperties(() => storeSubject(backend.open()), {
      seed: SEED,
      sequentialRuns: backend.sequentialRuns,
      concurrentRuns: backend.concurrentRuns,
      endOnFailure: backend.name !== 'memory',
    });
  });
}
