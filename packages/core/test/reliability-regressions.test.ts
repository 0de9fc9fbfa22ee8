/**
 * Core bugs found by the reliability workloads (@konserve-rx/faults), each pinned by the smallest
 * test that failed before its fix. See docs/reliability.md.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { createStore } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';

describe('reliability regressions', () => {
  it('multiDissoc with a key given twice reports that it existed (found by the seeded workload, seed 78)', async () => {
    const store = createStore(memoryBacking());
    await firstValueFrom(store.multiAssoc([['a', 1], [{ doc: 'd', n: 2 }, 2]]));
    const result = await firstValueFrom(store.multiDissoc(['a', 'b', 'a', { doc: 'd', n: 2 }, { n: 2, doc: 'd' }]));
    expect(result.get('a')).toBe(true);
    expect(result.get('b')).toBe(false);
    // equal object keys given as two objects: each entry says the key existed before the call
    expect([...result.entries()].filter(([k]) => typeof k === 'object').map(([, v]) => v)).toEqual([true, true]);
    expect(await firstValueFrom(store.exists('a'))).toBe(false);
  });
});
