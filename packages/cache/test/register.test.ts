/** The 'cached' and 'tiered' registry entries: wrappers by configuration, with lifecycle hooks from their layers. */
import { describe, expect, it } from '@jest/globals';
import { connectStore, deleteStore, releaseStore, storeExists } from '@konserve-rx/core';
import { errorOf, run } from '@konserve-rx/core/testing';
import '@konserve-rx/memory';
import { CACHED_BACKEND_NAME, TIERED_BACKEND_NAME, type CachedBacking, type TieredBacking } from '@konserve-rx/cache';

describe('registry entries', () => {
  it("'tiered' over a named memory store: create, release, reopen (synced from the back), delete", async () => {
    expect(TIERED_BACKEND_NAME).toBe('tiered');
    const config = { backend: 'tiered', back: { backend: 'memory', id: 'tiered-registry-test' }, policy: 'write-behind' };
    expect(await run(storeExists(config))).toBe(false);
    const store = await run(connectStore(config, { mode: 'create' }));
    expect((store.backing as TieredBacking).policy).toBe('write-behind');
    await run(store.assoc('k', 'v'));
    await run(releaseStore(store)); // close flushes the pending write to the back
    expect(await run(storeExists(config))).toBe(true);
    const reopened = await run(connectStore(config, { mode: 'open' }));
    expect(await run(reopened.get('k'))).toBe('v');
    await run(releaseStore(reopened));
    await run(deleteStore(config));
    expect(await run(storeExists(config))).toBe(false);
  });

  it("'cached' over a named memory store, with stats on the backing", async () => {
    expect(CACHED_BACKEND_NAME).toBe('cached');
    const config = { backend: 'cached', inner: { backend: 'memory', id: 'cached-registry-test' }, maxEntries: 10 };
    const store = await run(connectStore(config, { mode: 'create' }));
    await run(store.assoc('k', 1));
    expect(await run(store.get('k'))).toBe(1);
    expect((store.backing as CachedBacking).stats().hits).toBe(1);
    expect(await run(storeExists(config))).toBe(true);
    expect((await errorOf(connectStore(config, { mode: 'create' }))).code).toBe('ERR_INVALID_ARGUMENT');
    await run(deleteStore(config));
    expect(await run(storeExists(config))).toBe(false);
  });

  it('a missing or malformed layer config errors with ERR_INVALID_ARGUMENT', async () => {
    expect((await errorOf(connectStore({ backend: 'tiered' }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectStore({ backend: 'cached', inner: 'memory' }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(storeExists({ backend: 'tiered', back: {} }))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('an unregistered layer backend errors with ERR_UNKNOWN_BACKEND', async () => {
    expect((await errorOf(connectStore({ backend: 'tiered', back: { backend: 'nowhere' } }))).code).toBe('ERR_UNKNOWN_BACKEND');
  });
});
