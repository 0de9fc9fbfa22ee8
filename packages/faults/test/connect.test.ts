/** connectFaultyStore and the 'faulty' registry entry: a Store over a faulty backing in one call. */
import { describe, expect, it } from '@jest/globals';
import { connectStore, KonserveError } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectFaultyStore, FAULTY_BACKEND_NAME, type FaultyBacking } from '@konserve-rx/faults';

describe('connectFaultyStore', () => {
  it('connects a Store whose writes fail at the configured rate (1: every write fails with ERR_SIMULATED_FAILURE)', async () => {
    const store = await firstValueFrom(connectFaultyStore({ inner: memoryBacking(), seed: 1, errorRates: { write: 1 } }));
    const error = (await firstValueFrom(store.assoc('a', 1)).catch((e: unknown) => e)) as KonserveError;
    expect(error.code).toBe('ERR_SIMULATED_FAILURE');
    expect(await firstValueFrom(store.get('a'))).toBeUndefined();
    expect((store.backing as FaultyBacking).faults.length).toBeGreaterThan(0);
  });

  it('is registered as backend "faulty" for connectStore', async () => {
    const store = await firstValueFrom(connectStore({ backend: FAULTY_BACKEND_NAME, inner: memoryBacking(), seed: 2 }));
    await firstValueFrom(store.assoc('a', 1));
    expect(await firstValueFrom(store.get('a'))).toBe(1);
  });

  it('without `inner` fails with ERR_INVALID_ARGUMENT saying it is needed', async () => {
    const error = (await lastValueFrom(connectFaultyStore({} as never)).catch((e: unknown) => e)) as KonserveError;
    expect(error.code).toBe('ERR_INVALID_ARGUMENT');
    expect(error.message).toMatch(/connectFaultyStore needs `inner`/);
  });
});
