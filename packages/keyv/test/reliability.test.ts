/**
 * keyv over a konserve-rx store under injected faults (errors, lost acknowledgements, flipped
 * bits): a `set` that resolved is read back exactly by a clean keyv over the same data; a `set`
 * or `delete` that failed leaves the old value or (after a lost ack) the new one; a `get` either
 * returns the acknowledged value or fails (`throwOnErrors`), never returns damaged data.
 */
import { describe, expect, it } from '@jest/globals';
import Keyv from 'keyv';
import { createStore } from '@konserve-rx/core';
import { seededRandom } from '@konserve-rx/core/testing';
import { faultyBacking } from '@konserve-rx/faults';
import { konserveKeyvAdapter } from '@konserve-rx/keyv';
import { referenceBacking } from '@konserve-rx/core/testing';

const SEEDS = Array.from({ length: 30 }, (_, i) => 7000 + i);
const KEYS = ['a', 'b', 'c', 'd'];

describe('keyv over a faulty store', () => {
  it.each(SEEDS)(
    'seed %i: acknowledged sets read back through a clean keyv; failures leave old or (lost ack) new; reads never return damaged data',
    async (seed) => {
      const inner = referenceBacking();
      const backing = faultyBacking(inner, { seed, errorRates: { read: 0.05, write: 0.05, delete: 0.05 }, bitFlipRate: 0.05, crashRate: 0.08 });
      const keyv = new Keyv({ store: konserveKeyvAdapter(createStore(backing)), throwOnErrors: true });
      keyv.on('error', () => undefined);
      const clean = new Keyv({ store: konserveKeyvAdapter(createStore(inner)) });
      const model = new Map<string, unknown>();
      const random = seededRandom(seed);
      const problems: string[] = [];
      for (let step = 0; step < 60; step++) {
        const key = KEYS[Math.floor(random() * KEYS.length)]!;
        const r = random();
        const old = model.get(key);
        if (r < 0.45) {
          const value = { step, text: `v${step}`, list: [step, seed] };
          const ok = await keyv.set(key, value).then(
            () => true,
            () => false,
          );
          if (ok) model.set(key, value);
          else {
            const now = await clean.get(key);
            if (!sameJson(now, old) && !sameJson(now, value)) problems.push(`step ${step}: failed set left ${JSON.stringify(now)}`);
            if (now === undefined) model.delete(key);
            else model.set(key, now);
          }
        } else if (r < 0.6) {
          const ok = await keyv.delete(key).then(
            () => true,
            () => false,
          );
          if (ok) model.delete(key);
          else {
            const now = await clean.get(key);
            if (!sameJson(now, old) && now !== undefined) problems.push(`step ${step}: failed delete left ${JSON.stringify(now)}`);
            if (now === undefined) model.delete(key);
          }
        } else {
          const got = await keyv.get(key).then(
            (v) => ({ v }),
            (e: { code?: string }) => ({ e: e.code }),
          );
          if ('v' in got && !sameJson(got.v, old)) problems.push(`step ${step}: get returned ${JSON.stringify(got.v)}, acknowledged ${JSON.stringify(old)}`);
          if ('e' in got && !['ERR_SIMULATED_FAILURE', 'ERR_CORRUPT', 'ERR_FORMAT'].includes(got.e ?? ''))
            problems.push(`step ${step}: get failed with ${got.e}`);
        }
      }
      for (const key of KEYS) {
        const now = await clean.get(key);
        if (!sameJson(now, model.get(key))) problems.push(`end: ${key} holds ${JSON.stringify(now)}, acknowledged ${JSON.stringify(model.get(key))}`);
      }
      expect({ seed, problems }).toEqual({ seed, problems: [] });
      expect(backing.faults.length).toBeGreaterThan(0);
    },
  );
});

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
