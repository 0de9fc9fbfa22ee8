/**
 * The IndexedDB backend in Node over fake-indexeddb: the shared compliance suite, then what only
 * this backend promises (registry lifecycle, atomic batches, change notices between instances,
 * deletion while open, refused databases). The same suite runs in real Chromium in browser.test.ts.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from '@jest/globals';
import { checkRegistryLifecycle, errorOf, record, run, runStoreCompliance } from '@konserve-rx/core/testing';
import { connectStore } from '@konserve-rx/core';
import { connectIndexedDbStore, deleteIndexedDbStore, indexedDbBacking, indexedDbStoreExists } from '@konserve-rx/indexeddb';
import { firstValueFrom } from 'rxjs';

let seq = 0;
const freshName = (what: string) => `konserve-rx-test-${what}-${++seq}`;
const bytes = (...xs: number[]) => new Uint8Array(xs);

runStoreCompliance({ name: 'indexeddb (fake-indexeddb)', connect: () => connectIndexedDbStore({ name: freshName('compliance') }) });

describe('indexeddb backend', () => {
  it('declares its capabilities as data: atomic batches, durable, cross-tab locks only where Web Locks exist', async () => {
    const backing = indexedDbBacking({ name: freshName('caps'), locks: null });
    expect(backing.capabilities).toEqual({ syncResults: false, atomicMulti: true, durable: true, multiProcess: false });
    await backing.close?.();
  });

  it('registers the name "indexeddb": storeExists, connectStore modes and deleteStore follow the lifecycle', async () => {
    await checkRegistryLifecycle({ backend: 'indexeddb', name: freshName('registry') });
  });

  it('writeBatch is one transaction: an entry IndexedDB refuses (DataCloneError) leaves every blob as it was', async () => {
    const backing = indexedDbBacking({ name: freshName('batch') });
    await backing.write('a', bytes(1));
    const refused = { byteOffset: 0, byteLength: 0, buffer: { byteLength: 0 }, notCloneable: () => 0 } as unknown as Uint8Array;
    const err = await Promise.resolve(
      backing.writeBatch!([
        ['a', bytes(2)],
        ['b', bytes(3)],
        ['c', refused],
      ]),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ERR_IO' });
    expect(Array.from((await backing.read('a'))!)).toEqual([1]);
    expect(await backing.has('b')).toBe(false);
    await backing.close?.();
  });

  it('stores only the bytes of a view, not the rest of its buffer', async () => {
    const backing = indexedDbBacking({ name: freshName('view') });
    await backing.write('v', bytes(9, 1, 2, 9).subarray(1, 3));
    expect(Array.from((await backing.read('v'))!)).toEqual([1, 2]);
    await backing.close?.();
  });

  it('lists ids across pages', async () => {
    const backing = indexedDbBacking({ name: freshName('pages'), listPageSize: 2 });
    await backing.writeBatch!(['e', 'a', 'd', 'b', 'c'].map((id) => [id, bytes(1)] as const));
    const ids: string[] = [];
    for await (const id of backing.list()) ids.push(id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    await backing.close?.();
  });

  it('watch in one store sees a write committed by another store over the same database (BroadcastChannel)', async () => {
    const name = freshName('shared');
    const a = await firstValueFrom(connectIndexedDbStore({ name }));
    const b = await firstValueFrom(connectIndexedDbStore({ name }));
    const watched = record(a.watch('k'));
    await watched.until(1);
    await run(b.assoc('k', { from: 'b' }));
    expect(await watched.when((vs) => vs.length >= 2)).toEqual([undefined, { from: 'b' }]);
    watched.stop();
    await run(a.close());
    await run(b.close());
  });

  it('deleteStore while a store is open closes it under the store: its next read errors with ERR_IO', async () => {
    const name = freshName('deleted');
    const store = await firstValueFrom(connectIndexedDbStore({ name }));
    await run(store.assoc('k', 1));
    await run(deleteIndexedDbStore({ name }));
    expect(await run(indexedDbStoreExists({ name }))).toBe(false);
    expect((await errorOf(store.get('k'))).code).toBe('ERR_IO');
    await run(store.close());
  });

  it('deleteStore blocked by a foreign connection that stays open errors with ERR_IO after blockedTimeout', async () => {
    const name = freshName('blocked');
    const foreign = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    expect((await errorOf(deleteIndexedDbStore({ name, blockedTimeout: 50 }))).code).toBe('ERR_IO');
    foreign.close();
  });

  it('connecting to a database that is not a konserve-rx store errors with ERR_IO', async () => {
    const name = freshName('foreign');
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('other');
      req.onsuccess = () => (req.result.close(), resolve());
      req.onerror = () => reject(req.error);
    });
    expect((await errorOf(connectIndexedDbStore({ name }))).code).toBe('ERR_IO');
  });

  it('an unknown option, or no name, errors with ERR_INVALID_ARGUMENT', async () => {
    expect((await errorOf(connectIndexedDbStore({ name: 'x', nmae: 'y' } as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(connectIndexedDbStore({} as never))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('connectStore of backend "indexeddb" opens the same data as connectIndexedDbStore', async () => {
    const name = freshName('via-registry');
    const direct = await firstValueFrom(connectIndexedDbStore({ name }));
    await run(direct.assoc('k', 'v'));
    await run(direct.close());
    const viaRegistry = await firstValueFrom(connectStore({ backend: 'indexeddb', name }));
    expect(await run(viaRegistry.get('k'))).toBe('v');
    await run(viaRegistry.close());
  });
});
