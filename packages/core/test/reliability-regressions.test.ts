/**
 * Core bugs found by the reliability workloads (@konserve-rx/faults), each pinned by the smallest
 * test that failed before its fix. See docs/reliability.md.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { createStore } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';

describe('reliability regressions', () => {
  it('multiDissoc with a key given twice reports that it existed (found by the seeded workload, seed 78)', async () => {
    const store = createStore(referenceBacking());
    await firstValueFrom(
      store.multiAssoc([
        ['a', 1],
        [{ doc: 'd', n: 2 }, 2],
      ]),
    );
    const result = await firstValueFrom(store.multiDissoc(['a', 'b', 'a', { doc: 'd', n: 2 }, { n: 2, doc: 'd' }]));
    expect(result.get('a')).toBe(true);
    expect(result.get('b')).toBe(false);
    // equal object keys given as two objects: each entry says the key existed before the call
    expect([...result.entries()].filter(([k]) => typeof k === 'object').map(([, v]) => v)).toEqual([true, true]);
    expect(await firstValueFrom(store.exists('a'))).toBe(false);
  });

  // both orders of the two keys' blob ids: the overtaking happened when the held key sorted first
  it.each([
    ['x', 'y'],
    ['y', 'x'],
  ])(
    'a multi-key write queues on all its keys at subscription, so a later write of one of them cannot overtake it (held %s, other %s; found by the concurrent property test)',
    async (held, other) => {
      const store = createStore(referenceBacking());
      // hold one key with a streamed bassoc whose stream waits for a gate
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const slow = lastValueFrom(
        store.bassoc(
          held,
          (async function* () {
            await gate;
            yield new Uint8Array([1]);
          })(),
        ),
      );
      const multi = lastValueFrom(
        store.multiAssoc([
          [held, 'multi'],
          [other, 'multi'],
        ]),
      );
      const later = lastValueFrom(store.assoc(other, 'later'));
      const order: string[] = [];
      void multi.then(() => order.push('multi'));
      void later.then(() => order.push('later'));
      open();
      await Promise.all([slow, multi, later]);
      // subscription order on the other key: multiAssoc first, then assoc
      expect(order).toEqual(['multi', 'later']);
      expect(await firstValueFrom(store.get(other))).toBe('later');
      expect(await firstValueFrom(store.get(held))).toBe('multi');
    },
  );
});
