/** Unknown options of the cache and tiered factories: refused with ERR_INVALID_ARGUMENT naming the option. */
import { describe, expect, it } from '@jest/globals';
import { connectStore } from '@konserve-rx/core';
import { errorOf, run } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { cachedBacking, connectCachedStore, connectTieredStore, tieredBacking, TIERED_BACKEND_NAME, CACHED_BACKEND_NAME } from '@konserve-rx/cache';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('cache: unknown options are refused with ERR_INVALID_ARGUMENT', () => {
  it('cachedBacking and tieredBacking throw, naming the option', () => {
    const err = thrown(() => cachedBacking(memoryBacking(), { maxEntrys: 2 } as never));
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((err as Error).message).toContain("'maxEntrys'");
    expect(thrown(() => tieredBacking(memoryBacking(), memoryBacking(), { polcy: 'write-behind' } as never))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('connectCachedStore, connectTieredStore and connectStore fail as an error notification', async () => {
    expect((await errorOf(connectCachedStore({ maxByte: 10 } as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectTieredStore({ back: memoryBacking(), synk: false } as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectStore({ backend: TIERED_BACKEND_NAME, back: { backend: 'memory' }, compresor: 1 }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectStore({ backend: CACHED_BACKEND_NAME, inner: { backend: 'memory' }, maxEntrys: 1 }))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('connectTieredStore hands tiered and store options to each', async () => {
    const back = memoryBacking();
    const store = await run(connectTieredStore({ back, policy: 'write-through', sync: false, maxValueBytes: 8 }));
    expect((await errorOf(store.assoc('k', 'longer than eight bytes'))).code).toBe('ERR_INVALID_ARGUMENT');
    await run(store.assoc('k', 1));
    expect(back.list()).toHaveLength(1);
  });
});
