/** The memory backend: the shared compliance suite, then what only memory promises. */
import { describe, expect, it } from '@jest/globals';
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { connectStore } from '@konserve-rx/core';
import { firstValueFrom } from 'rxjs';
import { connectMemoryStore, memoryBacking } from '@konserve-rx/memory';

runStoreCompliance({ name: 'memory', connect: () => connectMemoryStore(), capabilities: { syncResults: true } });

describe('memory backend', () => {
  it('emits the store and every result synchronously on subscribe', () => {
    let got: unknown = 'nothing yet';
    connectMemoryStore().subscribe((store) => {
      store.assoc('k', { a: 1 }).subscribe();
      store.get('k').subscribe((v) => (got = v));
    });
    expect(got).toEqual({ a: 1 });
  });

  it('shares data between stores given the same Map', async () => {
    const map = new Map<string, Uint8Array>();
    const a = await firstValueFrom(connectMemoryStore({ map }));
    await firstValueFrom(a.assoc('shared', 42));
    const b = await firstValueFrom(connectMemoryStore({ map }));
    expect(await firstValueFrom(b.get('shared'))).toBe(42);
  });

  it('registers the name "memory" for connectStore', async () => {
    const store = await firstValueFrom(connectStore({ backend: 'memory' }));
    expect(store.backing.capabilities.syncResults).toBe(true);
  });

  it('declares its capabilities as data', () => {
    expect(memoryBacking().capabilities).toEqual({ syncResults: true, atomicMulti: true, durable: false, multiProcess: false });
  });
});
