/** The lifecycle hooks the memory backend registers: core's registry script, and stores named by id or by map. */
import { describe, expect, it } from '@jest/globals';
import { checkRegistryLifecycle, run } from '@konserve-rx/core/testing';
import { connectStore, deleteStore, storeExists, type StoreConfig } from '@konserve-rx/core';
import '@konserve-rx/memory';

let n = 0;
const fresh = (): StoreConfig => ({ backend: 'memory', id: `registry-test-${n++}` });

describe('memory (named by id): lifecycle by config', () => {
  it("follows core's registry script: delete of nothing, create, open, release, exists, delete, open-or-create, reconnect", async () => {
    await checkRegistryLifecycle(fresh());
  });
});

describe('memory hooks', () => {
  it('a config without id or map is a fresh store that never exists beforehand', async () => {
    expect(await run(storeExists({ backend: 'memory' }))).toBe(false);
    const store = await run(connectStore({ backend: 'memory' }, { mode: 'create' }));
    await run(store.assoc('k', 1));
    const other = await run(connectStore({ backend: 'memory' }));
    expect(await run(other.get('k'))).toBeUndefined();
  });

  it('a config with its own map exists once the map holds blobs, and delete clears it', async () => {
    const map = new Map<string, Uint8Array>();
    const config = { backend: 'memory', map };
    expect(await run(storeExists(config))).toBe(false);
    const store = await run(connectStore(config, { mode: 'create' }));
    await run(store.assoc('k', 1));
    expect(await run(storeExists(config))).toBe(true);
    await run(deleteStore(config));
    expect(map.size).toBe(0);
  });
});
