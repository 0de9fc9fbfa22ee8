/**
 * Reliability under injected faults, over the memory backing (and latency(memory), where
 * operations complete out of order): for 120 seeds, a random workload runs against a Store over
 * `faultyBacking(memory)` and every step is checked against the reference model
 * (`runWorkload`): acknowledged writes read back exactly through a clean Store over the same
 * Map, failed writes leave the old value (or the new one when a crash reached the inner backing
 * first), and a flipped bit surfaces as ERR_CORRUPT / ERR_FORMAT, never as data.
 * The file backend's run (streams cut midway, batches applied in part) is in
 * packages/fs/test/reliability.test.ts. Guarantees and their tests: docs/reliability.md.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createStore, type BackingStore, type Store } from '@konserve-rx/core';
import { createModel, faultyBacking, randomWorkload, runWorkload, type FaultRecord, type FaultyBackingOptions, type WorkloadStep } from '@konserve-rx/faults';
import { latencyBacking } from '@konserve-rx/latency';
import { memoryBacking } from '@konserve-rx/memory';

/** Every kind of fault at once, each a few percent of calls. */
const RATES: Omit<FaultyBackingOptions, 'seed'> = {
  errorRates: { read: 0.04, readHead: 0.04, write: 0.04, writeBatch: 0.04, delete: 0.04, has: 0.04, list: 0.04 },
  bitFlipRate: 0.05,
  crashRate: 0.05,
};
const MEMORY_SEEDS = Array.from({ length: 120 }, (_, i) => i + 1);
const LATENCY_SEEDS = Array.from({ length: 8 }, (_, i) => 1000 + i);
const STEPS = 80;

/** Fault counts over every seed of a describe block, checked at its end. */
type Tally = Record<string, number>;

/** Runs one seed's workload and returns its report, checking each undetected flip on the way. */
async function runSeed(seed: number, inner: BackingStore, wrap: (b: BackingStore) => BackingStore, tally: Tally) {
  const backing = faultyBacking(wrap(inner), { ...RATES, seed });
  const store = createStore(backing);
  const clean = createStore(inner);
  const flipProblems: string[] = [];
  const report = await runWorkload({
    store,
    clean,
    faults: backing.faults,
    ops: randomWorkload({ seed, steps: STEPS }),
    onStep: (step) => {
      const problem = unexplainedFlip(step, inner);
      if (problem !== undefined) flipProblems.push(problem);
    },
  });
  for (const f of backing.faults) count(tally, f);
  return { report, flipProblems, store };
}

describe('fault workloads over memory', () => {
  const tally: Tally = {};
  it.each(MEMORY_SEEDS)(
    'seed %i: acknowledged writes read back, failed writes leave old (or, after a lost ack, new), flips never read as data',
    async (seed) => {
      const { report, flipProblems } = await runSeed(seed, memoryBacking(), (b) => b, tally);
      expect({ seed, violations: report.violations, flipProblems }).toEqual({ seed, violations: [], flipProblems: [] });
      tally['steps'] = (tally['steps'] ?? 0) + report.steps;
      tally['ambiguous'] = (tally['ambiguous'] ?? 0) + report.ambiguous;
      tally['corruptDetected'] = (tally['corruptDetected'] ?? 0) + report.corruptDetected;
    },
  );

  it('injected every kind of fault the memory backing can suffer, many times', () => {
    // memory has atomic batches and no streams: a batch crash applies all or nothing
    const kinds = [
      'error:read',
      'error:readHead',
      'error:write',
      'error:writeBatch',
      'error:delete',
      'error:list',
      'crash:write/all',
      'crash:writeBatch/all',
      'crash:writeBatch/none',
      'crash:delete/all',
      'bitflip:read',
      'bitflip:readHead',
    ];
    expect(kinds.filter((kind) => (tally[kind] ?? 0) < 3).map((kind) => `${kind}: ${tally[kind] ?? 0}`)).toEqual([]);
    expect(tally['ambiguous']).toBeGreaterThan(50);
    expect(tally['corruptDetected']).toBeGreaterThan(50);
  });
});

describe('fault workloads over latency(memory): out-of-order completion', () => {
  const tally: Tally = {};
  const stores: Store[] = [];
  afterAll(() => stores.forEach((s) => s.close().subscribe()));
  it.each(LATENCY_SEEDS)('seed %i: the same guarantees hold when every call completes after a random delay', async (seed) => {
    const wrap = (b: BackingStore) => latencyBacking(b, { seed, latency: { distribution: 'uniform', min: 0, max: 1 } });
    const { report, flipProblems, store } = await runSeed(seed, memoryBacking(), wrap, tally);
    stores.push(store);
    expect({ seed, violations: report.violations, flipProblems }).toEqual({ seed, violations: [], flipProblems: [] });
  });
});

describe('a flipped bit is never data', () => {
  it('with every read damaged, reads fail with ERR_CORRUPT or ERR_FORMAT, and a clean store still reads everything', async () => {
    const inner = memoryBacking();
    const clean = createStore(inner);
    const ops = randomWorkload({ seed: 99, steps: 200, weights: { get: 0, getIn: 0, exists: 0, log: 0, bget: 0, multiGet: 0, keys: 0 } });
    const model = createModel();
    const setup = await runWorkload({ store: clean, ops, model });
    expect(setup.violations).toEqual([]);
    for (let seed = 1; seed <= 20; seed++) {
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
        onStep: (s) => {
          const p = unexplainedFlip(s, inner);
          if (p) flips.push(p);
        },
      });
      expect({ seed, violations: report.violations, flips }).toEqual({ seed, violations: [], flips: [] });
    }
  });
});

/**
 * A step that succeeded although a bit was flipped during it is fine only when the flip could
 * not reach a result: a head-only read (`readHead`: exists, getMeta, keys) damaged past the
 * header and meta it uses, or a delete (a key whose head is damaged is still removable).
 */
function unexplainedFlip(step: WorkloadStep, inner: BackingStore): string | undefined {
  if (!step.outcome.ok) return undefined;
  for (const f of step.injected) {
    if (f.kind !== 'bitflip') continue;
    if (step.op.op === 'dissoc' || step.op.op === 'multiDissoc') continue;
    if (f.op === 'readHead') {
      const stored = inner.read(f.id!) as Uint8Array | undefined;
      // header (28 bytes) + meta, whose length is the u32 LE at byte 8; a deleted blob was not used either
      if (stored === undefined || f.byte >= 28 + new DataView(stored.buffer, stored.byteOffset).getUint32(8, true)) continue;
    }
    return `step ${step.index} ${step.op.op} succeeded although byte ${f.byte} of a ${f.op} was flipped`;
  }
  return undefined;
}

function count(tally: Tally, f: FaultRecord): void {
  const name = `${f.kind}:${f.op}${f.kind === 'crash' ? `/${f.applied}` : ''}`;
  tally[name] = (tally[name] ?? 0) + 1;
}
