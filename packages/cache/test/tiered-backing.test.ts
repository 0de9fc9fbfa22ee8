/** What only the tiered backing promises: write order per policy, read-through, connect-time sync, flushing and errors. */
import { describe, expect, it } from '@jest/globals';
import { createStore, sweep, type BackingStore, type Store } from '@konserve-rx/core';
import { collect, errorOf, eventually, referenceBacking, run, seededRandom, start } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { lastValueFrom, take, toArray, VirtualTimeScheduler } from 'rxjs';
import { cachedBacking, connectTieredStore, tieredBacking, type FlushError, type TieredBacking, type TieredPolicy } from '@konserve-rx/cache';
import { controlledBacking } from './helpers/controlled-backing';

/** Records the order of writes and deletes reaching a backing. */
function recording(inner: BackingStore): { backing: BackingStore; log: string[] } {
  const log: string[] = [];
  const backing: BackingStore = {
    ...inner,
    write: (id, data) => (log.push(`write ${id}`), inner.write(id, data)),
    delete: (id) => (log.push(`delete ${id}`), inner.delete(id)),
  };
  delete (backing as { writeBatch?: unknown }).writeBatch;
  return { backing, log };
}

const tiered = (store: { backing: BackingStore }): TieredBacking => store.backing as TieredBacking;

describe('tieredBacking: write-through', () => {
  it('writes the back, then the front, before the write completes', async () => {
    const back = recording(memoryBacking());
    const front = recording(memoryBacking());
    const store = createStore(tieredBacking(front.backing, back.backing));
    const order: string[] = [];
    back.log.push = (s: string) => (order.push(`back ${s}`), 0);
    front.log.push = (s: string) => (order.push(`front ${s}`), 0);
    await run(store.assoc('k', 1));
    expect(order.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['back write', 'front write']);
  });

  it('a failed back write fails the operation and leaves both layers as they were', async () => {
    const back = controlledBacking();
    const frontMap = new Map<string, Uint8Array>();
    const store = createStore(tieredBacking(memoryBacking({ map: frontMap }), back));
    await run(store.assoc('k', 'old'));
    back.failing.add('write');
    expect((await errorOf(store.assoc('k', 'new'))).code).toBe('ERR_IO');
    back.failing.clear();
    expect(await run(store.get('k'))).toBe('old');
    expect([...frontMap.values()]).toEqual([...back.map.values()]);
  });

  it('declares the back durability, and flush() completes at once', async () => {
    const durable = referenceBacking({ async: true });
    const backing = tieredBacking(memoryBacking(), { ...durable, capabilities: { ...durable.capabilities, durable: true } });
    expect(backing.capabilities).toEqual({ syncResults: false, atomicMulti: false, durable: true, multiProcess: false });
    expect(await collect(backing.flush())).toEqual([undefined]);
    expect(backing.pending()).toBe(0);
  });

  it('a completed write is in the back, readable by a plain store over it', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await run(connectTieredStore({ back: referenceBacking({ async: true, map }) }));
    await run(store.assoc('k', { in: 'back' }));
    expect(await run(createStore(referenceBacking({ map })).get('k'))).toEqual({ in: 'back' });
    await run(store.close());
  });
});

describe('tieredBacking: read-through and connect-time sync', () => {
  it('a front miss reads the back once and fills the front with the whole blob', async () => {
    const back = controlledBacking();
    await run(createStore(back).assoc('k', 'v'));
    const frontMap = new Map<string, Uint8Array>();
    const store = await run(connectTieredStore({ back, front: memoryBacking({ map: frontMap }), sync: false }));
    expect(frontMap.size).toBe(0);
    expect(await run(store.getMeta('k'))).toMatchObject({ key: 'k' });
    expect(await run(store.get('k'))).toBe('v');
    expect(frontMap.size).toBe(1);
    expect(back.calls.read).toBe(1);
    expect(back.calls.readHead).toBeUndefined();
  });

  it('connectTieredStore copies every blob of the back into the front before emitting the store', async () => {
    const back = controlledBacking();
    const seed = createStore(back);
    await run(seed.multiAssoc(Array.from({ length: 50 }, (_, i) => [`k${i}`, i] as const)));
    await run(seed.append('log', 'a'));
    const frontMap = new Map<string, Uint8Array>();
    const store = await run(connectTieredStore({ back, front: memoryBacking({ map: frontMap }), syncConcurrency: 4 }));
    expect([...frontMap.keys()].sort()).toEqual([...back.map.keys()].sort());
    const reads = back.calls.read;
    expect(await run(store.get('k7'))).toBe(7);
    expect(await collect(store.log('log'))).toEqual(['a']);
    expect(back.calls.read).toBe(reads);
  });

  it('fails to connect with the back error when the sync fails', async () => {
    const back = controlledBacking();
    back.map.set('x', new Uint8Array(1));
    back.failing.add('read');
    await expect(lastValueFrom(connectTieredStore({ back }))).rejects.toThrow('failed on purpose');
  });

  it.each([[{ policy: 'sometimes' }], [{ retryDelayMs: -1 }], [{ syncConcurrency: 0 }], [{ back: undefined }]])(
    'rejects %p with ERR_INVALID_ARGUMENT',
    async (options) => {
      const err = await errorOf(connectTieredStore({ back: memoryBacking(), ...options } as never));
      expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    },
  );
});

describe('tieredBacking: write-behind', () => {
  it('completes writes from the front, then flush() puts them in the back', async () => {
    const back = controlledBacking();
    const store = await run(connectTieredStore({ back, policy: 'write-behind', flushDelayMs: 10_000 }));
    await run(store.assoc('k', 1));
    expect(tiered(store).pending()).toBe(1);
    expect(back.map.size).toBe(0);
    expect(await run(store.get('k'))).toBe(1);
    expect(await collect(tiered(store).flush())).toEqual([undefined]);
    expect(tiered(store).pending()).toBe(0);
    expect(await run(createStore(back).get('k'))).toBe(1);
    await run(store.close());
  });

  it('flushes in the background without being asked', async () => {
    const back = controlledBacking();
    const store = await run(connectTieredStore({ back, policy: 'write-behind' }));
    await run(
      store.multiAssoc([
        ['a', 1],
        ['b', 2],
      ]),
    );
    await eventually(() => tiered(store).pending() === 0, 'the background flush');
    expect(back.map.size).toBe(2);
  });

  it('never resurrects a pending delete from the back, even with an evicting front', async () => {
    const back = memoryBacking();
    const backing = tieredBacking(cachedBacking(memoryBacking(), { maxEntries: 1 }), back, { policy: 'write-behind', flushDelayMs: 10_000 });
    const store = createStore(backing);
    await run(store.assoc('k', 'v'));
    await run(backing.flush());
    await run(store.dissoc('k'));
    await run(
      store.multiAssoc([
        ['x', 1],
        ['y', 2],
      ]),
    ); // evicts everything else from the front
    expect(await run(store.get('k'))).toBeUndefined();
    expect((await collect(store.keys())).map((m) => m.key).sort()).toEqual(['x', 'y']);
    expect(await run(createStore(back).get('k'))).toBe('v');
    await run(backing.flush());
    expect(await run(createStore(back).get('k'))).toBeUndefined();
  });

  it('sends writes to the back in write order: a log element before the head that counts it', async () => {
    const back = recording(memoryBacking());
    const backing = tieredBacking(memoryBacking(), back.backing, { policy: 'write-behind', flushDelayMs: 10_000 });
    const store = createStore(backing);
    await run(store.append('log', 1));
    await run(store.assoc('other', 0));
    await run(store.append('log', 2));
    await run(backing.flush());
    const writes = back.log.map((s) => s.replace('write ', ''));
    const head = writes.find((id) => writes.some((other) => other.startsWith(`${id}.`)))!;
    // coalesced to its latest bytes, the head moved behind the second element, so it follows both
    expect(writes.map((id) => (id === head ? 'log head' : id.startsWith(`${head}.`) ? 'element' : 'other'))).toEqual([
      'element',
      'other',
      'element',
      'log head',
    ]);
    expect(await collect(createStore(back.backing).log('log'))).toEqual([1, 2]);
  });

  it('reports a failed background flush on errors$, keeps the write pending, and retries until it lands', async () => {
    const back = controlledBacking();
    const backing = tieredBacking(memoryBacking(), back, { policy: 'write-behind', retryDelayMs: 5, maxRetryDelayMs: 20 });
    const errors = lastValueFrom(backing.errors$.pipe(take(3), toArray()));
    const store = createStore(backing);
    back.failing.add('write');
    await run(store.assoc('k', 'kept'));
    const seen: FlushError[] = await errors;
    expect(seen.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(seen[0]).toMatchObject({ ids: [expect.any(String)], error: expect.objectContaining({ code: 'ERR_IO' }) });
    expect(backing.pending()).toBe(1);
    expect((await errorOf(backing.flush())).code).toBe('ERR_IO');
    back.failing.clear();
    await eventually(() => backing.pending() === 0, 'a background retry that lands');
    expect(await run(createStore(back).get('k'))).toBe('kept');
  });

  it('leaves no background pass waiting once flush() has put everything in the back', async () => {
    const scheduler = new VirtualTimeScheduler();
    const backing = tieredBacking(memoryBacking(), memoryBacking(), { policy: 'write-behind', flushDelayMs: 10_000, scheduler });
    const store = createStore(backing);
    await run(store.assoc('k', 1));
    expect(scheduler.actions).toHaveLength(1);
    await run(backing.flush());
    // nothing left to write: no timer may keep the process alive for another 10 s
    expect(scheduler.actions).toHaveLength(0);
    await run(store.assoc('k', 2));
    expect(scheduler.actions).toHaveLength(1);
    scheduler.flush();
    await new Promise((r) => setImmediate(r));
    expect(backing.pending()).toBe(0);
  });

  it('flush() also waits for a write superseding one in flight', async () => {
    const back = controlledBacking();
    const backing = tieredBacking(memoryBacking(), back, { policy: 'write-behind', flushDelayMs: 10_000 });
    const store = createStore(backing);
    await run(store.assoc('k', 1));
    let release!: () => void;
    back.gate = new Promise<void>((r) => (release = r));
    const first = lastValueFrom(backing.flush());
    await run(store.assoc('k', 2)); // supersedes the write in flight
    const second = lastValueFrom(backing.flush());
    back.gate = undefined;
    release();
    await first;
    await second;
    expect(await run(createStore(back).get('k'))).toBe(2);
    expect(backing.pending()).toBe(0);
  });

  it('close() flushes what is pending; a reconnect over the same back sees it', async () => {
    const back = memoryBacking();
    const store = await run(connectTieredStore({ back, policy: 'write-behind', flushDelayMs: 10_000 }));
    await run(
      store.multiAssoc([
        ['a', 1],
        ['b', 2],
      ]),
    );
    await run(store.close());
    const again = await run(connectTieredStore({ back, policy: 'write-behind' }));
    expect(await run(again.multiGet(['a', 'b']))).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
  });

  it('close() fails with ERR_IO while the back fails, keeping the writes pending for a later flush', async () => {
    const back = controlledBacking();
    const backing = tieredBacking(memoryBacking(), back, { policy: 'write-behind', flushDelayMs: 10_000 });
    const store = createStore(backing);
    await run(store.assoc('k', 'v'));
    back.failing.add('write');
    expect((await errorOf(store.close())).code).toBe('ERR_IO');
    back.failing.clear();
    await run(backing.flush());
    expect(await run(createStore(back).get('k'))).toBe('v');
  });

  it('declares itself not durable, and answers synchronously over two memory layers', () => {
    const backing = tieredBacking(memoryBacking(), memoryBacking(), { policy: 'write-behind' });
    expect(backing.capabilities).toEqual({ syncResults: true, atomicMulti: false, durable: false, multiProcess: false });
    const store = createStore(backing);
    let got: unknown;
    store.assoc('k', 1).subscribe();
    store.get('k').subscribe((v) => (got = v));
    expect(got).toBe(1);
  });
});

describe('sweep over cached and tiered stores', () => {
  it('over write-behind, deletions are pending deletes that reach the back with the next flush', async () => {
    const back = memoryBacking();
    const backing = tieredBacking(memoryBacking(), back, { policy: 'write-behind', flushDelayMs: 10_000 });
    const clock = { t: 1000 };
    const store = createStore(backing, { now: () => clock.t });
    await run(
      store.multiAssoc([
        ['old', 1],
        ['kept', 2],
      ]),
    );
    await run(store.append('log', 'x'));
    await run(backing.flush());
    const events = await collect(sweep(store, { olderThan: new Date(2000), keep: ['kept'] }));
    expect(events.map((e) => e.deleted).sort()).toEqual(['log', 'old']);
    expect(await run(createStore(back).get('old'))).toBe(1);
    await run(backing.flush());
    expect((await collect(createStore(back).keys())).map((m) => m.key)).toEqual(['kept']);
  });

  it('over a cache, deletions update the cache', async () => {
    const inner = controlledBacking();
    const store = createStore(cachedBacking(inner));
    await run(store.assoc('old', 1));
    await collect(sweep(store, { olderThan: new Date(Date.now() + 60_000) }));
    const reads = inner.calls.read ?? 0;
    expect(await run(store.get('old'))).toBeUndefined();
    expect(inner.calls.read ?? 0).toBe(reads);
  });
});

describe('tieredBacking: both policies keep the Store contract', () => {
  const KEYS = ['a', 'b', 'c', 'd', 'e'];

  /** Starts 150 seeded writes at once (per-key order is subscription order) and applies each to `model` too. */
  function workload(store: Store, model: Map<string, unknown>, seed: number): Promise<unknown>[] {
    const random = seededRandom(seed);
    const pick = (): string => KEYS[Math.floor(random() * KEYS.length)]!;
    const started: Promise<unknown>[] = [];
    for (let i = 0; i < 150; i++) {
      const key = pick();
      const choice = random();
      if (choice < 0.4) {
        model.set(key, { i });
        started.push(start(store.assoc(key, { i })));
      } else if (choice < 0.7) {
        const old = model.get(key);
        model.set(key, typeof old === 'number' ? old + 1 : 1);
        started.push(start(store.update(key, (v: unknown) => (typeof v === 'number' ? v + 1 : 1))));
      } else if (choice < 0.85) {
        model.delete(key);
        started.push(start(store.dissoc(key)));
      } else {
        const other = pick();
        model.set(key, i);
        model.set(other, -i);
        started.push(
          start(
            store.multiAssoc([
              [key, i],
              [other, -i],
            ]),
          ),
        );
      }
    }
    return started;
  }

  it.each(['write-through', 'write-behind'] as TieredPolicy[])(
    '%s, evicting front over out-of-order storage: concurrent writes read back as applied in order, from the store and, once flushed, from the back alone',
    async (policy) => {
      const map = new Map<string, Uint8Array>();
      const backing = tieredBacking(cachedBacking(memoryBacking(), { maxEntries: 2 }), referenceBacking({ delays: { max: 3, seed: 11 }, map }), { policy });
      const store = createStore(backing);
      const model = new Map<string, unknown>();
      await Promise.all(workload(store, model, 5));
      const present = (got: Map<unknown, unknown>): Map<unknown, unknown> => new Map([...got].sort(([x], [y]) => String(x).localeCompare(String(y))));
      const expected = present(model);
      expect(present(await run(store.multiGet(KEYS)))).toEqual(expected);
      await run(backing.flush());
      expect(present(await run(createStore(referenceBacking({ map })).multiGet(KEYS)))).toEqual(expected);
      await run(store.close());
    },
  );
});
