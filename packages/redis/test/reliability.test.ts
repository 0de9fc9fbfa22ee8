/**
 * Reliability under injected faults over the Redis backing (the Redis run of
 * packages/faults/test/reliability.test.ts): for 60 seeds, a random workload runs against a Store
 * over `faultyBacking(redisBacking)` and every step is checked against the reference model
 * (`runWorkload`). Acknowledged writes must read back exactly through a clean Store over a second
 * connection to the same server and prefix (so the data is on the server, not in our memory);
 * failed writes leave the old value (or the new one when a crash reached Redis first, the lost
 * reply); a failed batch (MULTI/EXEC) applied all its keys or none; a flipped bit surfaces as
 * ERR_CORRUPT / ERR_FORMAT, never as data. Besides the faults memory suffers, lock acquisition
 * (the Redis lock every write takes) fails too. Guarantees and their tests: docs/reliability.md.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { createStore } from '@konserve-rx/core';
import { createModel, faultyBacking, randomWorkload, runWorkload, unexplainedFlip, type FaultRecord, type FaultyBackingOptions } from '@konserve-rx/faults';
import { redisBacking, type RedisBacking } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

/** Every kind of fault at once, each a few percent of calls; lock failures too, which Redis takes for every write. */
const RATES: Omit<FaultyBackingOptions, 'seed'> = {
  errorRates: { read: 0.04, readHead: 0.04, write: 0.04, writeBatch: 0.04, delete: 0.04, has: 0.04, list: 0.04, lock: 0.04 },
  bitFlipRate: 0.05,
  crashRate: 0.05,
};
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
const STEPS = 80;
/** The default mix, with more of what goes through Redis-specific code: batches (MULTI/EXEC) and listings (SCAN). */
const WEIGHTS = { multiAssoc: 5, multiDissoc: 3, keys: 3 };

let server: RedisServer;

/** A backing over `prefix` on the test server, connected; closed by the store over it. */
async function backingOver(prefix: string): Promise<RedisBacking> {
  const b = redisBacking({ url: server.url, prefix, shareChanges: false });
  await b.ready();
  return b;
}

const newPrefix = (): string => `r${randomBytes(6).toString('hex')}:`;

describeRedis('fault workloads over redis', () => {
  /** Fault counts over every seed, checked at the end. */
  const tally: Record<string, number> = {};
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(SEEDS)(
    'seed %i: acknowledged writes read back through another connection, failed writes leave old (or, after a lost reply, new), failed batches all or none, flips never read as data, no lock left behind',
    async (seed) => {
      const prefix = newPrefix();
      const inner = await backingOver(prefix);
      const backing = faultyBacking(inner, { ...RATES, seed });
      const store = createStore(backing);
      const clean = createStore(await backingOver(prefix));
      try {
        const flipProblems: string[] = [];
        const report = await runWorkload({
          store,
          clean,
          faults: backing.faults,
          ops: randomWorkload({ seed, steps: STEPS, weights: WEIGHTS }),
          onStep: async (step) => {
            const problem = await unexplainedFlip(step, inner);
            if (problem !== undefined) flipProblems.push(problem);
          },
        });
        expect({ seed, violations: report.violations, flipProblems }).toEqual({ seed, violations: [], flipProblems: [] });
        expect(report.steps).toBe(STEPS);
        // every lock a failed operation took was released (an injected lock failure takes none)
        expect(await inner.client.keys(`${prefix}l:*`)).toEqual([]);
        for (const f of backing.faults) count(tally, f);
        tally['ambiguous'] = (tally['ambiguous'] ?? 0) + report.ambiguous;
        tally['corruptDetected'] = (tally['corruptDetected'] ?? 0) + report.corruptDetected;
      } finally {
        await lastValueFrom(store.close());
        await lastValueFrom(clean.close());
      }
    },
  );

  it('injected every kind of fault the Redis backing can suffer, several times', () => {
    // Redis has atomic batches (MULTI/EXEC) and no streams or positional reads: a batch crash applies all or nothing
    const kinds = [
      'error:read',
      'error:readHead',
      'error:write',
      'error:writeBatch',
      'error:delete',
      'error:list',
      'error:lock',
      'crash:write/all',
      'crash:writeBatch/all',
      'crash:writeBatch/none',
      'crash:delete/all',
      'bitflip:read',
      'bitflip:readHead',
    ];
    expect(kinds.filter((kind) => (tally[kind] ?? 0) < 3).map((kind) => `${kind}: ${tally[kind] ?? 0}`)).toEqual([]);
    expect(tally['ambiguous']).toBeGreaterThan(10);
    expect(tally['corruptDetected']).toBeGreaterThan(10);
  });

  it('with every read damaged, reads fail with ERR_CORRUPT or ERR_FORMAT, and a clean store over another connection still reads everything', async () => {
    const prefix = newPrefix();
    const inner = await backingOver(prefix);
    const clean = createStore(await backingOver(prefix));
    const model = createModel();
    try {
      const writes = randomWorkload({ seed: 99, steps: 120, weights: { get: 0, getIn: 0, exists: 0, log: 0, bget: 0, multiGet: 0, keys: 0 } });
      expect((await runWorkload({ store: clean, ops: writes, model })).violations).toEqual([]);
      for (let seed = 1; seed <= 8; seed++) {
        const backing = faultyBacking(inner, { seed, bitFlipRate: 1 });
        const damaged = createStore(backing);
        const reads = randomWorkload({
          seed,
          steps: 40,
          weights: { assoc: 0, assocIn: 0, update: 0, dissoc: 0, append: 0, multiAssoc: 0, multiDissoc: 0, bassoc: 0 },
        });
        const flips: string[] = [];
        const report = await runWorkload({
          store: damaged,
          clean,
          model,
          faults: backing.faults,
          ops: reads,
          onStep: async (step) => {
            const problem = await unexplainedFlip(step, inner);
            if (problem !== undefined) flips.push(problem);
          },
        });
        expect({ seed, violations: report.violations, flips }).toEqual({ seed, violations: [], flips: [] });
        expect(report.corruptDetected).toBeGreaterThan(0);
      }
    } finally {
      // the damaged stores share `inner`: closed once here
      await inner.close?.();
      await lastValueFrom(clean.close());
    }
  });
});

function count(tally: Record<string, number>, f: FaultRecord): void {
  const name = `${f.kind}:${f.op}${f.kind === 'crash' ? `/${f.applied}` : ''}`;
  tally[name] = (tally[name] ?? 0) + 1;
}
