/** The latency backend: the shared compliance suite over out-of-order storage, then what latency proves. */
import { describe, expect, it } from '@jest/globals';
import { connectStore, createStore, type BackingStore, type ChangeNotice, type Store } from '@konserve-rx/core';
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { filter, firstValueFrom, lastValueFrom, merge, of, Subject, take, toArray } from 'rxjs';
import { connectLatencyStore, latencyBacking, LATENCY_BACKEND_NAME, type LatencyBacking } from '@konserve-rx/latency';

const jitter = { distribution: 'uniform', min: 0, max: 3 } as const;

// Every Store guarantee must hold when each backing call completes after its own random delay:
// one run of the suite, each store with the next seed: the whole run replays, and it sees many orders
let seed = 0;
runStoreCompliance({
  name: 'latency over memory (seed n for the n-th test)',
  connect: () => of(createStore(latencyBacking(memoryBacking(), { latency: jitter, seed: ++seed }))),
  capabilities: { syncResults: false },
});

/** Subscribes every source at once; resolves with the order in which they completed. */
function completionOrder(sources: ReadonlyArray<[string, () => Promise<unknown>]>): Promise<string[]> {
  const done: string[] = [];
  return Promise.all(sources.map(([name, start]) => start().then(() => done.push(name)))).then(() => done);
}

describe('latency backend: out-of-order completion with per-key order', () => {
  it('lets a fast operation subscribed later overtake a slow one on another key', async () => {
    const store = createStore(latencyBacking(memoryBacking(), { latency: (op) => (op === 'write' ? 30 : 1), seed: 1 }));
    const order = await completionOrder([
      ['slow assoc a', () => firstValueFrom(store.assoc('a', 1))],
      ['fast get b', () => firstValueFrom(store.get('b'))],
    ]);
    expect(order).toEqual(['fast get b', 'slow assoc a']);
  });

  it('completes randomly delayed operations on distinct keys out of subscription order', async () => {
    const store = createStore(latencyBacking(memoryBacking(), { latency: { distribution: 'uniform', min: 0, max: 20 }, seed: 4 }));
    const names = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const order = await completionOrder(names.map((k) => [k, () => firstValueFrom(store.assoc(k, k))]));
    expect(order).not.toEqual(names);
    expect([...order].sort()).toEqual([...names].sort());
  });

  it('applies 50 concurrent assocs to one key in subscription order: the last subscribed wins', async () => {
    const store = createStore(latencyBacking(memoryBacking(), { latency: { distribution: 'uniform', min: 0, max: 5 }, seed: 5 }));
    const events = firstValueFrom(store.changes().pipe(take(50), toArray()));
    await Promise.all(Array.from({ length: 50 }, (_, i) => firstValueFrom(store.assoc('k', i))));
    expect(await firstValueFrom(store.get('k'))).toBe(49);
    expect((await events).map((e) => e.value)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('applies 100 concurrent updates exactly once each, per key', async () => {
    const store = createStore(latencyBacking(memoryBacking(), { latency: { distribution: 'exponential', mean: 1 }, seed: 6 }));
    const inc = (n: unknown): number => ((n as number | undefined) ?? 0) + 1;
    const updates = Array.from({ length: 100 }, (_, i) => store.update(i % 2 === 0 ? 'even' : 'odd', inc));
    await lastValueFrom(merge(...updates, ...Array.from({ length: 100 }, () => store.update('all', inc))).pipe(toArray()));
    expect(await firstValueFrom(store.multiGet(['even', 'odd', 'all']))).toEqual(
      new Map([
        ['even', 50],
        ['odd', 50],
        ['all', 100],
      ]),
    );
  });
});

describe('latency backend: failure injection', () => {
  it('keeps every acknowledged write and the previous value of every failed one', async () => {
    const inner = memoryBacking();
    const clean = createStore(inner);
    const keys = Array.from({ length: 10 }, (_, i) => `key-${i}`);
    for (const key of keys) await firstValueFrom(clean.assoc(key, 'initial'));
    const failures = { rate: 0.2, ops: ['write', 'writeBatch', 'writeStream', 'delete'] as const };
    const faulty = createStore(latencyBacking(inner, { latency: jitter, seed: 7, failures }));
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        firstValueFrom(faulty.assoc(keys[i % keys.length] as string, i)).then(
          () => ({ i, ok: true, code: undefined }),
          (e: { code?: string }) => ({ i, ok: false, code: e.code }),
        ),
      ),
    );
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed.length).toBeGreaterThan(20);
    expect(new Set(failed.map((o) => o.code))).toEqual(new Set(['ERR_SIMULATED_FAILURE']));
    for (const [k, key] of keys.entries()) {
      const acked = outcomes.filter((o) => o.ok && o.i % keys.length === k);
      expect(await firstValueFrom(clean.get(key))).toBe(acked.length > 0 ? acked[acked.length - 1]?.i : 'initial');
    }
    const listed = await lastValueFrom(clean.keys().pipe(toArray()));
    expect(listed.map((m) => m.key).sort()).toEqual([...keys].sort());
  });

  it('counts exactly the acknowledged updates', async () => {
    const inner = memoryBacking();
    const faulty = createStore(latencyBacking(inner, { latency: jitter, seed: 8, failures: { rate: 0.2, ops: ['write'] } }));
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => firstValueFrom(faulty.update('n', (n) => ((n as number | undefined) ?? 0) + 1))),
    );
    const acked = results.filter((r) => r.status === 'fulfilled').length;
    expect(acked).toBeLessThan(100);
    expect(await firstValueFrom(createStore(inner).get('n'))).toBe(acked);
  });
});

describe('connectLatencyStore', () => {
  it('wraps a fresh memory backing, exposing the latency backing and its timings', async () => {
    const store: Store = await firstValueFrom(connectLatencyStore({ latency: 1, seed: 2 }));
    await firstValueFrom(store.assoc('k', 'v'));
    expect(await firstValueFrom(store.get('k'))).toBe('v');
    const backing = store.backing as LatencyBacking;
    expect(backing.seed).toBe(2);
    expect(backing.capabilities.syncResults).toBe(false);
    expect(backing.summary().write?.count).toBeGreaterThanOrEqual(1);
  });

  it('wraps the given inner backing', async () => {
    const inner = memoryBacking();
    const store = await firstValueFrom(connectLatencyStore({ inner, latency: 0 }));
    await firstValueFrom(store.assoc('shared', 1));
    expect(await firstValueFrom(createStore(inner).get('shared'))).toBe(1);
  });

  it('errors (does not throw) on invalid options', async () => {
    const connecting = connectLatencyStore({ latency: -1 });
    await expect(firstValueFrom(connecting)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it(`registers the name "${LATENCY_BACKEND_NAME}" for connectStore`, async () => {
    const store = await firstValueFrom(connectStore({ backend: LATENCY_BACKEND_NAME, latency: 0, seed: 1 }));
    expect((store.backing as LatencyBacking).seed).toBe(1);
  });
});

describe('latency backend: change notices between instances', () => {
  it('passes announce and remoteChanges through, so a watcher on one Store sees writes made through another', async () => {
    // two "instances" over one memory backing, with a notice bus like Redis pub/sub between them
    const shared = memoryBacking();
    const toB = new Subject<ChangeNotice>();
    const instance = (announce: (n: ChangeNotice) => void, remoteChanges: Subject<ChangeNotice>): BackingStore =>
      Object.assign(Object.create(shared) as BackingStore, { announce, remoteChanges });
    const a = createStore(
      latencyBacking(
        instance((n) => toB.next(n), new Subject()),
        { latency: jitter, seed: 5 },
      ),
    );
    const b = createStore(
      latencyBacking(
        instance(() => undefined, toB),
        { latency: jitter, seed: 6 },
      ),
    );
    const seen = firstValueFrom(
      b.watch('user').pipe(
        filter((v) => v !== undefined),
        take(1),
      ),
    );
    await lastValueFrom(a.assoc('user', { name: 'Ada' }));
    expect(await seen).toEqual({ name: 'Ada' });
  });
});

describe('latency: unknown options are refused with ERR_INVALID_ARGUMENT naming the option', () => {
  it('latencyBacking throws; connectLatencyStore and connectStore fail as an error notification', async () => {
    let err: unknown;
    try {
      latencyBacking(memoryBacking(), { latncy: 1 } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((err as Error).message).toContain("'latncy'");
    await expect(firstValueFrom(connectLatencyStore({ seeed: 1 } as never))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(firstValueFrom(connectLatencyStore('oops' as never))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(firstValueFrom(connectStore({ backend: LATENCY_BACKEND_NAME, compresor: 1 }))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('connectLatencyStore hands backing and store options to each (inner, latency, seed, maxValueBytes)', async () => {
    const inner = memoryBacking();
    const store = await firstValueFrom(connectLatencyStore({ inner, latency: 0, seed: 1, maxValueBytes: 8 }));
    await expect(lastValueFrom(store.assoc('k', 'longer than eight bytes'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await lastValueFrom(store.assoc('k', 1));
    expect(inner.list()).toHaveLength(1);
  });
});
