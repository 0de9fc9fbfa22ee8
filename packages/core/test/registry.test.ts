/** The backend registry: descriptors and the function form, strict connect modes, exists/delete/release dispatch. */
import { describe, expect, it } from '@jest/globals';
import { collect, errorOf, run } from '@konserve-rx/core/testing';
import { firstValueFrom, of } from 'rxjs';
import {
  connectStore,
  createStore,
  deleteStore,
  registerBackend,
  registeredBackends,
  releaseStore,
  storeExists,
  type BackendDescriptor,
  type Store,
  type StoreConfig,
} from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

/** A toy backend with named stores, counting every hook call. */
function toyBackend(withHooks = true): { descriptor: BackendDescriptor; stores: Map<string, Map<string, Uint8Array>>; calls: string[] } {
  const stores = new Map<string, Map<string, Uint8Array>>();
  const calls: string[] = [];
  const mapOf = (config: StoreConfig) => {
    const id = String(config.id);
    if (!stores.has(id)) stores.set(id, new Map());
    return stores.get(id)!;
  };
  const connect = (config: StoreConfig) => {
    calls.push('connect');
    return of(createStore(referenceBacking({ map: mapOf(config) })));
  };
  if (!withHooks) return { descriptor: { connect }, stores, calls };
  const descriptor: BackendDescriptor = {
    connect,
    create: (config) => (calls.push('create'), connect(config)),
    exists: (config) => (calls.push('exists'), Promise.resolve(stores.has(String(config.id)))),
    delete: (config) => (calls.push('delete'), of(stores.delete(String(config.id)))),
    release: (store) => (calls.push('release'), store.close()),
  };
  return { descriptor, stores, calls };
}

describe('registerBackend', () => {
  it('accepts the function form (backward compatible) and lists the name', async () => {
    registerBackend('toy-fn', () => of(createStore(referenceBacking())));
    expect(registeredBackends()).toContain('toy-fn');
    const store = await run(connectStore({ backend: 'toy-fn' }));
    expect(await run(store.assoc('k', 1))).toMatchObject({ key: 'k' });
  });

  it('rejects a descriptor without connect, and an empty name', () => {
    expect(() => registerBackend('bad', {} as BackendDescriptor)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => registerBackend('', () => of(createStore(referenceBacking())))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('replaces an earlier registration of the same name', async () => {
    const a = toyBackend(false);
    const b = toyBackend(false);
    registerBackend('toy-replaced', a.descriptor);
    registerBackend('toy-replaced', b.descriptor);
    await run(connectStore({ backend: 'toy-replaced', id: 'x' }));
    expect([a.calls, b.calls]).toEqual([[], ['connect']]);
  });
});

describe('unknown backends and malformed configs', () => {
  it.each([
    ['file', '@konserve-rx/fs'],
    ['redis', '@konserve-rx/redis'],
    ['tiered', '@konserve-rx/cache'],
  ])('an unregistered %s errors with ERR_UNKNOWN_BACKEND naming %s, for every lifecycle function', async (name, pkg) => {
    for (const obs of [connectStore({ backend: name }), storeExists({ backend: name }), deleteStore({ backend: name })]) {
      const err = await errorOf(obs);
      expect(err.code).toBe('ERR_UNKNOWN_BACKEND');
      expect(err.message).toContain(pkg);
    }
  });

  it('a name no konserve-rx package registers errors with ERR_UNKNOWN_BACKEND without inventing a package to import', async () => {
    const err = await errorOf(connectStore({ backend: 'sqlite' }));
    expect(err.code).toBe('ERR_UNKNOWN_BACKEND');
    expect(err.message).not.toContain('@konserve-rx/sqlite');
  });

  it.each([[null], [undefined], ['memory'], [{}], [{ backend: 3 }]])('config %p errors with ERR_INVALID_ARGUMENT', async (config) => {
    expect((await errorOf(connectStore(config as unknown as StoreConfig))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('an unknown mode errors with ERR_INVALID_ARGUMENT', async () => {
    registerBackend('toy-mode', toyBackend().descriptor);
    expect((await errorOf(connectStore({ backend: 'toy-mode', id: 'm' }, { mode: 'sometimes' as 'open' }))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('is cold: nothing is looked up or connected until subscribed', () => {
    const toy = toyBackend();
    registerBackend('toy-cold', toy.descriptor);
    connectStore({ backend: 'toy-cold', id: 'c' }, { mode: 'create' });
    storeExists({ backend: 'toy-cold', id: 'c' });
    deleteStore({ backend: 'toy-cold', id: 'c' });
    connectStore({ backend: 'nobody-registered-this' });
    expect(toy.calls).toEqual([]);
  });
});

describe('connect modes', () => {
  it("'open-or-create' (the default) connects without asking exists", async () => {
    const toy = toyBackend();
    registerBackend('toy-default', toy.descriptor);
    await run(connectStore({ backend: 'toy-default', id: 'a' }));
    expect(toy.calls).toEqual(['connect']);
  });

  it("'create' creates a missing store through the create hook, then fails once it exists", async () => {
    const toy = toyBackend();
    registerBackend('toy-create', toy.descriptor);
    const config = { backend: 'toy-create', id: 'new' };
    await run(connectStore(config, { mode: 'create' }));
    expect(toy.calls).toEqual(['exists', 'create', 'connect']);
    const err = await errorOf(connectStore(config, { mode: 'create' }));
    expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    expect(err.message).toContain('already exists');
  });

  it("'open' fails for a missing store without creating it, and opens an existing one with its data", async () => {
    const toy = toyBackend();
    registerBackend('toy-open', toy.descriptor);
    const config = { backend: 'toy-open', id: 'db' };
    const err = await errorOf(connectStore(config, { mode: 'open' }));
    expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    expect(err.message).toContain('does not exist');
    expect(toy.stores.has('db')).toBe(false);
    const created = await run(connectStore(config, { mode: 'create' }));
    await run(created.assoc('k', 'v'));
    const opened = await run(connectStore(config, { mode: 'open' }));
    expect(await run(opened.get('k'))).toBe('v');
  });

  it('strict modes need the exists hook: ERR_INVALID_ARGUMENT naming it', async () => {
    registerBackend('toy-nohooks', toyBackend(false).descriptor);
    for (const mode of ['open', 'create'] as const) {
      const err = await errorOf(connectStore({ backend: 'toy-nohooks' }, { mode }));
      expect(err.code).toBe('ERR_INVALID_ARGUMENT');
      expect(err.message).toContain("'exists'");
    }
  });

  it('passes errors of the backend through', async () => {
    registerBackend('toy-failing', { connect: () => of(createStore(referenceBacking())), exists: () => Promise.reject(new Error('disk on fire')) });
    await expect(firstValueFrom(connectStore({ backend: 'toy-failing' }, { mode: 'open' }))).rejects.toThrow('disk on fire');
  });
});

describe('storeExists, deleteStore, releaseStore', () => {
  it('storeExists follows create and delete', async () => {
    const toy = toyBackend();
    registerBackend('toy-life', toy.descriptor);
    const config = { backend: 'toy-life', id: 'life' };
    expect(await run(storeExists(config))).toBe(false);
    const store = await run(connectStore(config, { mode: 'create' }));
    expect(await run(storeExists(config))).toBe(true);
    expect(await collect(releaseStore(store))).toEqual([undefined]);
    expect(await collect(deleteStore(config))).toEqual([undefined]);
    expect(await run(storeExists(config))).toBe(false);
    expect(await collect(deleteStore(config))).toEqual([undefined]);
  });

  it('releaseStore calls the release hook of the backend that connected the store', async () => {
    const toy = toyBackend();
    registerBackend('toy-release', toy.descriptor);
    const store = await run(connectStore({ backend: 'toy-release', id: 'r' }));
    await run(releaseStore(store));
    expect(toy.calls).toEqual(['connect', 'release']);
    expect((await errorOf(store.get('k'))).code).toBe('ERR_CLOSED');
  });

  it('releaseStore closes a store not made by connectStore', async () => {
    const store: Store = createStore(referenceBacking());
    await run(releaseStore(store));
    expect((await errorOf(store.get('k'))).code).toBe('ERR_CLOSED');
  });

  it('storeExists and deleteStore need their hooks', async () => {
    registerBackend('toy-bare', toyBackend(false).descriptor);
    expect((await errorOf(storeExists({ backend: 'toy-bare' }))).message).toContain("'exists'");
    expect((await errorOf(deleteStore({ backend: 'toy-bare' }))).message).toContain("'delete'");
  });
});
