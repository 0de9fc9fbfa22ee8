/**
 * Property-based tests (fast-check) over the Redis backing: random sequences of Store operations
 * give the same results as the reference model, as on memory, fs and latency(memory)
 * (packages/faults/test/property.test.ts, whose arbitraries and checks this file reuses through
 * `@konserve-rx/faults`).
 * - sequential: after every step, every key's value / log / binary, `exists` and `keys()` are
 *   compared through a second, independent connection (`runWorkload` with `verifyEachStep`);
 * - concurrent: batches of operations are subscribed all at once, and each result must equal the
 *   model applied in subscription order (the per-key order guarantee), here with every write also
 *   taking its Redis lock and every command a network round trip.
 * One private redis-server for the file; each run gets a fresh random key prefix on it.
 * Fixed seeds make every run replay; on failure fast-check prints the seed, the path and the
 * shrunk counterexample (`fc.assert(..., { seed, path })` replays it).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { createStore, type Store } from '@konserve-rx/core';
import { createModel, runConcurrently, runWorkload, verifyAll, workloadArbitraries } from '@konserve-rx/faults';
import { redisBacking } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

const SEED = 20261124;
const SEQUENTIAL_RUNS = 60;
const CONCURRENT_RUNS = 50;
const { op: opArb, lockedOp: lockedOpArb } = workloadArbitraries(fc);

let server: RedisServer;

/** A store over a fresh prefix, and a second store over its own connection to the same prefix: what really reached the server. */
async function open(): Promise<{ store: Store; clean: Store; close: () => Promise<void> }> {
  const prefix = `p${randomBytes(6).toString('hex')}:`;
  const backing = redisBacking({ url: server.url, prefix });
  const cleanBacking = redisBacking({ url: server.url, prefix, shareChanges: false });
  await Promise.all([backing.ready(), cleanBacking.ready()]);
  const store = createStore(backing);
  const clean = createStore(cleanBacking);
  return { store, clean, close: async () => void (await Promise.all([lastValueFrom(store.close()), lastValueFrom(clean.close())])) };
}

describeRedis('property: redis behaves like the model', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`random op sequences give the model's results, and every key reads as the model says after each step, through another connection (${SEQUENTIAL_RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), async (ops) => {
        const { store, clean, close } = await open();
        try {
          const report = await runWorkload({ store, clean, ops, verifyEachStep: true });
          expect(report.violations).toEqual([]);
        } finally {
          await close();
        }
      }),
      { seed: SEED, numRuns: SEQUENTIAL_RUNS, endOnFailure: true },
    );
  });

  it(`batches subscribed at once give, per key, the model applied in subscription order (${CONCURRENT_RUNS} runs, seed ${SEED + 1})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(lockedOpArb, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        const { store, clean, close } = await open();
        const model = createModel();
        try {
          for (const batch of batches) {
            expect(await runConcurrently(store, batch, model)).toEqual([]);
            expect(await verifyAll(clean, model)).toBeUndefined();
          }
        } finally {
          await close();
        }
      }),
      { seed: SEED + 1, numRuns: CONCURRENT_RUNS, endOnFailure: true },
    );
  });
});
