/**
 * A cache over a multi-process backing that writes in one step (`writeIfUnlocked`, as Redis and
 * PostgreSQL do; `deleteIfUnlocked`, as Redis does): `assoc` and `dissoc` keep that one step
 * through the cache, and the cache never serves the bytes it held before such a write.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { createStore, type BackingStore, type ReleaseLock } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { cachedBacking } from '../src';

function oneStep(calls: string[], lockHeld: () => boolean): BackingStore {
  const inner = memoryBacking();
  return {
    ...inner,
    capabilities: { ...inner.capabilities, multiProcess: true },
    lock: (): ReleaseLock => (calls.push('lock'), () => undefined),
    writeIfUnlocked: (id: string, data: Uint8Array) => {
      calls.push('writeIfUnlocked');
      if (lockHeld()) return false;
      inner.write(id, data);
      return true;
    },
    // the test's blobs never expire: every one is deletable unread
    deleteIfUnlocked: (id: string) => {
      calls.push('deleteIfUnlocked');
      if (lockHeld()) return false;
      const bytes = inner.read(id) as Uint8Array | undefined;
      inner.delete(id);
      return bytes;
    },
  };
}

describe('cachedBacking over a backing with writeIfUnlocked', () => {
  it('writes in one step and then reads the new value, not the cached old one', async () => {
    const calls: string[] = [];
    const store = createStore(cachedBacking(oneStep(calls, () => false)));
    await firstValueFrom(store.assoc('k', 'old'));
    expect(await firstValueFrom(store.get('k'))).toBe('old');
    await firstValueFrom(store.assoc('k', 'new'));
    expect(await firstValueFrom(store.get('k'))).toBe('new');
    expect(calls).toEqual(['writeIfUnlocked', 'writeIfUnlocked']);
  });

  it('falls back to the lock when the one-step write finds it held, and still reads the new value', async () => {
    const calls: string[] = [];
    let held = false;
    const store = createStore(cachedBacking(oneStep(calls, () => held)));
    await firstValueFrom(store.assoc('k', 'old'));
    expect(await firstValueFrom(store.get('k'))).toBe('old');
    held = true;
    await firstValueFrom(store.assoc('k', 'new'));
    expect(calls).toEqual(['writeIfUnlocked', 'writeIfUnlocked', 'lock']);
    expect(await firstValueFrom(store.get('k'))).toBe('new');
  });

  it('deletes in one step, or under the lock when it is held, and then reads the key as missing, not the cached value', async () => {
    const calls: string[] = [];
    let held = false;
    const store = createStore(cachedBacking(oneStep(calls, () => held)));
    for (const lock of [false, true]) {
      held = false;
      await firstValueFrom(store.assoc('k', 'old'));
      expect(await firstValueFrom(store.get('k'))).toBe('old');
      held = lock;
      calls.length = 0;
      expect(await firstValueFrom(store.dissoc('k'))).toBe(true);
      expect(calls).toEqual(lock ? ['deleteIfUnlocked', 'lock'] : ['deleteIfUnlocked']);
      expect(await firstValueFrom(store.get('k'))).toBeUndefined();
    }
  });
});
