/** What only the cached backing promises: hit/miss counting, coherence on write, failure and races, bounds. */
import { describe, expect, it } from '@jest/globals';
import { createStore, inspectStore, type ChangeNotice } from '@konserve-rx/core';
import { errorOf, run } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { Subject } from 'rxjs';
import { cachedBacking, connectCachedStore, DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES } from '@konserve-rx/cache';
import { controlledBacking, deferred } from './helpers/controlled-backing';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('cachedBacking: hits and misses', () => {
  it('serves a second read from the cache and counts one miss, one hit', async () => {
    const inner = controlledBacking();
    inner.map.set('a', bytes(1, 2, 3));
    const cache = cachedBacking(inner);
    expect(await cache.read('a')).toEqual(bytes(1, 2, 3));
    expect(await cache.read('a')).toEqual(bytes(1, 2, 3));
    expect(inner.calls.read).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5, entries: 1, bytes: 3 });
  });

  it('remembers absences: a missing id is asked once', async () => {
    const inner = controlledBacking();
    const cache = cachedBacking(inner);
    expect(await cache.read('nope')).toBeUndefined();
    expect(await cache.has('nope')).toBe(false);
    expect(await cache.readHead!('nope', 10)).toBeUndefined();
    expect(inner.calls.read).toBe(1);
    expect(inner.calls.has).toBeUndefined();
  });

  it('answers readHead and has from a cached blob, without caching a prefix read', async () => {
    const inner = controlledBacking();
    inner.map.set('a', bytes(1, 2, 3, 4));
    const cache = cachedBacking(inner);
    expect(await cache.readHead!('a', 2)).toEqual(bytes(1, 2));
    expect(await cache.read('a')).toEqual(bytes(1, 2, 3, 4));
    expect(await cache.readHead!('a', 2)).toEqual(bytes(1, 2));
    expect(await cache.has('a')).toBe(true);
    expect([inner.calls.readHead, inner.calls.read, inner.calls.has]).toEqual([1, 1, undefined]);
  });

  it('a Store over a cached memory backing still answers synchronously', () => {
    const store = createStore(cachedBacking(memoryBacking()));
    let got: unknown = 'unset';
    store.assoc('k', 1).subscribe();
    store.get('k').subscribe((v) => (got = v));
    expect(got).toBe(1);
    expect(store.backing.capabilities.syncResults).toBe(true);
  });

  it('resetStats zeroes the counters, clear drops the entries', async () => {
    const cache = cachedBacking(controlledBacking());
    await cache.write('a', bytes(1));
    await cache.read('a');
    cache.resetStats();
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, entries: 1 });
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });
});

describe('cachedBacking: coherence', () => {
  it('write-through: after a write, reads are hits with the new bytes', async () => {
    const inner = controlledBacking();
    const cache = cachedBacking(inner);
    await cache.write('a', bytes(9));
    expect(await cache.read('a')).toEqual(bytes(9));
    expect(inner.calls.read).toBeUndefined();
    expect(inner.map.get('a')).toEqual(bytes(9));
  });

  it('a failed write drops the entry: the next read asks the inner backing', async () => {
    const inner = controlledBacking();
    const cache = cachedBacking(inner);
    await cache.write('a', bytes(1));
    inner.failing.add('write');
    await expect(cache.write('a', bytes(2))).rejects.toThrow('failed on purpose');
    expect(await cache.read('a')).toEqual(bytes(1));
    expect(inner.calls.read).toBe(1);
  });

  it('delete remembers the absence; a failed delete drops the entry', async () => {
    const inner = controlledBacking();
    const cache = cachedBacking(inner);
    await cache.write('a', bytes(1));
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.read('a')).toBeUndefined();
    expect(inner.calls.read).toBeUndefined();
    await cache.write('b', bytes(2));
    inner.failing.add('delete');
    await expect(cache.delete('b')).rejects.toThrow();
    expect(await cache.read('b')).toEqual(bytes(2));
    expect(inner.calls.read).toBe(1);
  });

  it('writeBatch applies every entry to the cache after success, and drops them all on failure', async () => {
    const inner = controlledBacking();
    const cache = cachedBacking(inner);
    await cache.write('gone', bytes(0));
    await cache.writeBatch!([
      ['a', bytes(1)],
      ['gone', null],
      ['a', bytes(2)],
    ]);
    expect([await cache.read('a'), await cache.read('gone')]).toEqual([bytes(2), undefined]);
    expect(inner.calls.read).toBeUndefined();
    inner.failing.add('writeBatch');
    await expect(cache.writeBatch!([['a', bytes(3)]])).rejects.toThrow();
    expect(await cache.read('a')).toEqual(bytes(2));
    expect(inner.calls.read).toBe(1);
  });

  it('a read racing a write never puts the older bytes in the cache', async () => {
    const inner = controlledBacking();
    inner.map.set('a', bytes(1));
    const cache = cachedBacking(inner);
    const gate = deferred();
    inner.gate = gate.promise;
    const read = cache.read('a'); // misses, waits at the gate
    inner.map.set('a', bytes(1)); // unchanged so far: the read will return the old bytes
    const write = cache.write('a', bytes(2));
    gate.resolve();
    // the write's promise was queued after the read's, so the read resolves first with old bytes...
    expect(await read).toEqual(bytes(1));
    await write;
    inner.gate = undefined;
    // ...and whichever order they settle in, the cache ends with the written bytes
    expect(await cache.read('a')).toEqual(bytes(2));
  });

  it('a read that settles after a write ended does not populate', async () => {
    const inner = controlledBacking();
    inner.map.set('a', bytes(1));
    const cache = cachedBacking(inner);
    const slowRead = deferred();
    const realRead = inner.read;
    inner.read = () => slowRead.promise.then(() => bytes(1)); // an old answer, arriving late
    const read = cache.read('a');
    inner.read = realRead;
    await cache.write('a', bytes(2));
    slowRead.resolve();
    expect(await read).toEqual(bytes(1));
    expect(await cache.read('a')).toEqual(bytes(2));
  });

  it('rereads after taking a cross-process lock, and invalidates on remote change notices', async () => {
    const inner = controlledBacking();
    const remote = new Subject<ChangeNotice>();
    const locked: string[] = [];
    Object.assign(inner, { lock: (id: string) => (locked.push(id), () => undefined), remoteChanges: remote });
    const cache = cachedBacking(inner);
    expect(cache.remoteChanges).toBe(remote);
    await cache.write('a', bytes(1));
    inner.map.set('a', bytes(2)); // another process wrote
    await cache.lock!('a');
    expect(await cache.read('a')).toEqual(bytes(2));
    inner.map.set('a', bytes(3));
    remote.next({ op: 'assoc', id: 'a', meta: bytes(), deleted: false });
    expect(await cache.read('a')).toEqual(bytes(3));
    expect(locked).toEqual(['a']);
  });
});

describe('cachedBacking: bounds and options', () => {
  it('evicts the least recently used beyond maxEntries, counting evictions', () => {
    const cache = cachedBacking(memoryBacking(), { maxEntries: 2 });
    cache.write('a', bytes(1));
    cache.write('b', bytes(2));
    cache.read('a');
    cache.write('c', bytes(3));
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
    cache.resetStats();
    cache.read('a');
    cache.read('b');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('stays within maxBytes, and never caches a blob larger than it', () => {
    const inner = memoryBacking();
    const cache = cachedBacking(inner, { maxBytes: 10 });
    cache.write('big', new Uint8Array(11));
    expect(cache.stats().entries).toBe(0);
    for (const id of ['a', 'b', 'c']) cache.write(id, new Uint8Array(4));
    expect(cache.stats().bytes).toBeLessThanOrEqual(10);
    expect(cache.read('big')).toHaveLength(11);
  });

  it('defaults to 10000 entries and 64 MiB', () => {
    expect([DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES]).toEqual([10_000, 64 * 1024 * 1024]);
  });

  it.each([[{ maxEntries: 0 }], [{ maxEntries: 1.5 }], [{ maxBytes: -1 }], [{ maxBytes: 'lots' }]])('rejects %p with ERR_INVALID_ARGUMENT', async (options) => {
    expect(() => cachedBacking(memoryBacking(), options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect((await errorOf(connectCachedStore(options as never))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('rejects an inner that is not a backing', () => {
    expect(() => cachedBacking({} as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('close clears the cache and closes the inner backing', async () => {
    let closed = 0;
    const inner = { ...memoryBacking(), close: () => void closed++ };
    const store = await run(connectCachedStore({ inner }));
    await run(store.assoc('k', 1));
    await run(store.close());
    expect(closed).toBe(1);
    expect((store.backing as ReturnType<typeof cachedBacking>).stats().entries).toBe(0);
  });

  it('connectCachedStore defaults to a memory inner and exposes stats on store.backing', async () => {
    const store = await run(connectCachedStore({ maxEntries: 10 }));
    await run(store.assoc('k', 1));
    await run(store.get('k'));
    expect((store.backing as ReturnType<typeof cachedBacking>).stats().hits).toBeGreaterThan(0);
  });
});

describe('cachedBacking passes through what it does not cache', () => {
  it('the inner backing counters reach inspectStore through the cache', () => {
    const inner = { ...memoryBacking(), inspect: () => ({ sweeps: 1 }) };
    expect(inspectStore(createStore(cachedBacking(inner))).backing).toEqual({ sweeps: 1 });
  });
});
