/** The adapter's own contract, beyond keyv's suite: layout, TTL, scoping of clear, errors, lifecycle. */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import Keyv from 'keyv';
import { createStore, KonserveError, type Store } from '@konserve-rx/core';
import { faultyBacking } from '@konserve-rx/faults';
import * as pkg from '@konserve-rx/keyv';
import { createKeyv, konserveKeyvAdapter } from '@konserve-rx/keyv';
import { referenceBacking } from '@konserve-rx/core/testing';

const fresh = (): Store => createStore(referenceBacking());

describe('@konserve-rx/keyv exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(pkg).sort()).toEqual(['DEFAULT_COLLECTION', 'createKeyv', 'konserveKeyvAdapter']);
    expect(pkg.DEFAULT_COLLECTION).toBe('keyv');
  });
});

describe('konserveKeyvAdapter', () => {
  it("stores keyv key k under the konserve key [collection, k] as { value }, keyv's ttl as the Store's expiry", async () => {
    const store = createStore(referenceBacking(), { now: () => 1000 });
    const adapter = konserveKeyvAdapter(store, { collection: 'sessions' });
    await adapter.set('user:1', 'v1');
    await adapter.set('user:2', 'v2', 500);
    expect(await firstValueFrom(store.get(['sessions', 'user:1']))).toEqual({ value: 'v1' });
    expect(await firstValueFrom(store.get(['sessions', 'user:2']))).toEqual({ value: 'v2' });
    expect((await firstValueFrom(store.getMeta(['sessions', 'user:1'])))?.expiresAt).toBeUndefined();
    expect((await firstValueFrom(store.getMeta(['sessions', 'user:2'])))?.expiresAt).toBe(1500);
  });

  it("TTLs expire by the Store's clock: expired entries are missing for keyv and for the Store alike", async () => {
    let now = 0;
    const store = createStore(referenceBacking(), { now: () => now });
    const adapter = konserveKeyvAdapter(store);
    await adapter.set('short', 's', 100);
    await adapter.setMany([
      { key: 'long', value: 'l', ttl: 1000 },
      { key: 'forever', value: 'f' },
      { key: 'zero', value: 'z', ttl: 0 },
    ]);
    now = 99;
    expect(await adapter.get('short')).toBe('s');
    now = 100;
    expect(await adapter.get('short')).toBeUndefined();
    expect(await adapter.has('short')).toBe(false);
    expect(await adapter.getMany(['short', 'long', 'forever', 'zero', 'never'])).toEqual([undefined, 'l', 'f', 'z', undefined]);
    expect(await adapter.hasMany(['short', 'long'])).toEqual([false, true]);
    const listed: unknown[] = [];
    for await (const entry of adapter.iterator()) listed.push(entry);
    expect(listed.sort()).toEqual([
      ['forever', 'f'],
      ['long', 'l'],
      ['zero', 'z'],
    ]);
    expect(await firstValueFrom(store.exists(['keyv', 'short']))).toBe(false);
    expect(await firstValueFrom(store.count())).toBe(3);
  });

  it('reads entries written by earlier versions ({ value, expires }), expiring them by its own clock', async () => {
    let now = 0;
    const store = fresh();
    // the layout earlier versions wrote: the expiry inside the stored value
    await firstValueFrom(store.assoc(['keyv', 'old-short'], { value: 's', expires: 100 }));
    await firstValueFrom(store.assoc(['keyv', 'old-forever'], { value: 'f' }));
    const adapter = konserveKeyvAdapter(store, { now: () => now });
    now = 100;
    expect(await adapter.getMany(['old-short', 'old-forever'])).toEqual(['s', 'f']); // expires strictly after its time
    now = 101;
    expect(await adapter.get('old-short')).toBeUndefined();
    expect(await adapter.has('old-short')).toBe(false);
    expect(await adapter.get('old-forever')).toBe('f');
    // a read never deletes: a write racing the read could be lost
    expect(await firstValueFrom(store.exists(['keyv', 'old-short']))).toBe(true);
    // a new write of the key takes the new layout
    await adapter.set('old-short', 'n', 50);
    expect(await firstValueFrom(store.get(['keyv', 'old-short']))).toEqual({ value: 'n' });
  });

  it('setMany with mixed ttls stores every entry with its own', async () => {
    const store = createStore(referenceBacking(), { now: () => 0 });
    const adapter = konserveKeyvAdapter(store);
    await adapter.setMany([
      { key: 'a', value: 1, ttl: 10 },
      { key: 'b', value: 2, ttl: 10 },
      { key: 'c', value: 3 },
      { key: 'd', value: 4, ttl: 20 },
    ]);
    const expiry = async (key: string) => (await firstValueFrom(store.getMeta(['keyv', key])))?.expiresAt;
    expect([await expiry('a'), await expiry('b'), await expiry('c'), await expiry('d')]).toEqual([10, 10, undefined, 20]);
  });

  it("clear() removes only its collection within keyv's namespace; other data in the store stays", async () => {
    const store = fresh();
    await firstValueFrom(store.assoc('unrelated', 1));
    const a = konserveKeyvAdapter(store);
    const other = konserveKeyvAdapter(store, { collection: 'other' });
    const keyvA = new Keyv({ store: a, namespace: 'ns1' });
    const keyvB = new Keyv({ store: konserveKeyvAdapter(store), namespace: 'ns2' });
    await keyvA.set('k', 1);
    await keyvB.set('k', 2);
    await other.set('ns1:k', 3);
    await keyvA.clear();
    expect(await keyvA.get('k')).toBeUndefined();
    expect(await keyvB.get('k')).toBe(2);
    expect(await other.get('ns1:k')).toBe(3);
    expect(await firstValueFrom(store.get('unrelated'))).toBe(1);
  });

  it('deleteMany resolves true only when every key existed, as keyv defines it', async () => {
    const adapter = konserveKeyvAdapter(fresh());
    await adapter.set('a', 1);
    await adapter.set('b', 2);
    expect(await adapter.deleteMany(['a', 'missing'])).toBe(false);
    expect(await adapter.get('a')).toBeUndefined();
    expect(await adapter.deleteMany(['b'])).toBe(true);
    expect(await adapter.deleteMany([])).toBe(false);
  });

  it("rejects with the Store's KonserveError: a value the serializer cannot encode, a closed store", async () => {
    const store = fresh();
    const adapter = konserveKeyvAdapter(store);
    await expect(adapter.set('f', () => 1)).rejects.toMatchObject({ code: 'ERR_NOT_SERIALIZABLE' });
    await lastValueFrom(store.close());
    const err = await adapter.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KonserveError);
    expect((err as KonserveError).code).toBe('ERR_CLOSED');
  });

  it('keyv turns a failed write into set() === false and an "error" event; the old value stays', async () => {
    const inner = referenceBacking();
    const keyv = new Keyv({ store: konserveKeyvAdapter(createStore(faultyBacking(inner, { seed: 1, errorRates: { write: 1 } }))) });
    const clean = new Keyv({ store: konserveKeyvAdapter(createStore(inner)) });
    await clean.set('k', 'old');
    const errors: unknown[] = [];
    keyv.on('error', (e: unknown) => errors.push(e));
    expect(await keyv.set('k', 'new')).toBe(false);
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_SIMULATED_FAILURE' })]);
    expect(await clean.get('k')).toBe('old');
  });

  it('disconnect() closes the store, unless closeOnDisconnect is false', async () => {
    const owned = fresh();
    await new Keyv({ store: konserveKeyvAdapter(owned) }).disconnect();
    expect(await lastValueFrom(owned.get('x')).catch((e: KonserveError) => e)).toMatchObject({ code: 'ERR_CLOSED' });
    const shared = fresh();
    await new Keyv({ store: konserveKeyvAdapter(shared, { closeOnDisconnect: false }) }).disconnect();
    expect(await lastValueFrom(shared.get('x'))).toBeUndefined();
  });
});

describe('createKeyv', () => {
  it("builds a Keyv whose iterator() lists the namespace's live entries (keyv does not wire it for unknown dialects)", async () => {
    const store = fresh();
    const keyv = createKeyv<number>(store, { namespace: 'app' });
    const other = createKeyv<number>(store, { namespace: 'else' });
    expect(new Keyv({ store: konserveKeyvAdapter(store) }).iterator).toBeUndefined();
    await keyv.set('a', 1);
    await keyv.set('b', 2);
    await other.set('c', 3);
    const entries: unknown[] = [];
    for await (const entry of keyv.iterator!(undefined)) entries.push(entry);
    expect(entries.sort()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect((await lastValueFrom(store.keys().pipe(toArray()))).length).toBe(3);
  });

  it('passes keyv options through: a default ttl expires entries', async () => {
    let now = Date.now();
    const store = createStore(referenceBacking(), { now: () => now });
    const keyv = createKeyv(store, { ttl: 50 });
    await keyv.set('k', 'v');
    expect((await firstValueFrom(store.getMeta(['keyv', 'keyv:k'])))?.expiresAt).toBe(now + 50);
    now += 50;
    expect(await keyv.store.get('keyv:k')).toBeUndefined();
  });
});

describe('konserveKeyvAdapter: unknown options', () => {
  it('konserveKeyvAdapter and createKeyv throw ERR_INVALID_ARGUMENT naming a misspelled adapter option', () => {
    const store = createStore(referenceBacking());
    let err: unknown;
    try {
      konserveKeyvAdapter(store, { colection: 'x' } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KonserveError);
    expect((err as KonserveError).code).toBe('ERR_INVALID_ARGUMENT');
    expect((err as KonserveError).message).toContain("'colection'");
    expect(() => konserveKeyvAdapter(store, 'oops' as never)).toThrow(KonserveError);
    // createKeyv hands the adapter's own options to it and the rest to Keyv, which has options of its own
    expect(() => createKeyv(store, { collection: 'c', namespace: 'n' })).not.toThrow();
  });
});
