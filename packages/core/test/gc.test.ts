/** Garbage collection: which keys a sweep deletes, how it streams, and that it is safe to interrupt and rerun. */
import { describe, expect, it } from '@jest/globals';
import { collect, errorOf, listIds, record, run } from '@konserve-rx/core/testing';
import { take } from 'rxjs';
import { createStore, safePoint, sweep, type Key, type Store, type SweepEvent } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

/** A store whose clock is `clock.t` (ms), over the sync or async reference backing. */
function clockedStore(async = false): { store: Store; clock: { t: number } } {
  const clock = { t: 1000 };
  return { store: createStore(referenceBacking({ async }), { now: () => clock.t }), clock };
}

const deletedKeys = (events: SweepEvent[]): Key[] => events.filter((e) => e.type === 'key').map((e) => e.deleted);
const sortedKeys = async (store: Store): Promise<unknown[]> => (await collect(store.keys())).map((m) => JSON.stringify(m.key)).sort();

describe.each([
  ['sync', false],
  ['async', true],
])('sweep (%s backing)', (_label, async) => {
  it('deletes exactly the keys last written before olderThan and not kept, numbering the events', async () => {
    const { store, clock } = clockedStore(async);
    await run(
      store.multiAssoc([
        ['old-a', 1],
        ['old-b', 2],
        ['kept', 3],
      ]),
    );
    clock.t = 2000;
    await run(store.assoc('new', 4));
    const events = await collect(sweep(store, { olderThan: new Date(1500), keep: ['kept'] }));
    expect(deletedKeys(events).sort()).toEqual(['old-a', 'old-b']);
    expect(events.map((e) => e.count)).toEqual([1, 2]);
    expect(await sortedKeys(store)).toEqual(['"kept"', '"new"']);
  });

  it('compares kept keys by value, and accepts a predicate over key and Meta', async () => {
    const { store } = clockedStore(async);
    await run(store.assoc({ a: 1, b: [2, 3] }, 'structured'));
    await run(store.assoc('pinned', 1, { meta: { pinned: true } }));
    await run(store.assoc('loose', 1));
    const events = await collect(sweep(store, { olderThan: new Date(5000), keep: (key, meta) => meta.pinned === true || typeof key === 'object' }));
    expect(deletedKeys(events)).toEqual(['loose']);
    expect(await collect(sweep(store, { olderThan: new Date(5000), keep: [{ b: [2, 3], a: 1 }] }))).toHaveLength(1);
    expect(await sortedKeys(store)).toEqual(['{"a":1,"b":[2,3]}']);
  });

  it('a safe point taken before reading the pointers keeps a value written meanwhile; without it the value is lost', async () => {
    // a writer stores a new value, then the pointer to it (konserve's gc safe point scenario)
    const collectAndRepoint = async (useSafePoint: boolean): Promise<unknown> => {
      const { store, clock } = clockedStore(async);
      await run(store.assoc('v1', 'old'));
      await run(store.assoc('root', 'v1'));
      clock.t = 2000;
      const point = safePoint(store);
      const reachable: Key[] = ['root', (await run(store.get('root'))) as string];
      clock.t = 2010;
      await run(store.assoc('v2', 'new')); // written after the pointers were read ...
      clock.t = 2020;
      await collect(sweep(store, useSafePoint ? { keep: reachable, olderThan: point } : { keep: reachable }));
      await run(store.assoc('root', 'v2')); // ... and pointed to after the sweep
      return run(store.get((await run(store.get('root'))) as string));
    };
    expect(await collectAndRepoint(false)).toBeUndefined(); // the race: the sweep took v2
    expect(await collectAndRepoint(true)).toBe('new');
  });

  it('safePoint refuses anything but a core Store', () => {
    expect(() => safePoint({} as Store)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('defaults olderThan to the moment it is subscribed: later writes survive', async () => {
    const { store, clock } = clockedStore(async);
    await run(store.assoc('before', 1));
    clock.t = 1001;
    const swept = sweep(store);
    clock.t = 1002;
    await run(store.assoc('between', 2)); // after creating the Observable, before subscribing
    clock.t = 1003;
    const events = collect(swept);
    await run(store.assoc('during', 3));
    expect(deletedKeys(await events).sort()).toEqual(['before', 'between']);
    expect(await sortedKeys(store)).toEqual(['"during"']);
  });

  it('deletes like multiDissoc: a log goes with its elements, and changes() tells', async () => {
    const { store } = clockedStore(async);
    await run(store.append('log', 'x'));
    await run(store.append('log', 'y'));
    await run(store.bassoc('bin', new Uint8Array([1, 2, 3])));
    const changes = record(store.changes());
    await collect(sweep(store, { olderThan: new Date(5000) }));
    expect(await listIds(store.backing)).toEqual([]);
    expect(changes.values.map((e) => [e.op, e.key]).sort()).toEqual([
      ['multiDissoc', 'bin'],
      ['multiDissoc', 'log'],
    ]);
    changes.stop();
  });

  it('is cold, and an interrupted sweep rerun converges to the result of one full run', async () => {
    const build = async (): Promise<Store> => {
      const { store, clock } = clockedStore(async);
      await run(store.multiAssoc(Array.from({ length: 120 }, (_, i) => [`k${i}`, i] as const)));
      clock.t = 3000;
      await run(store.multiAssoc(Array.from({ length: 10 }, (_, i) => [`fresh${i}`, i] as const)));
      return store;
    };
    const options = { olderThan: new Date(2000), keep: (key: Key) => Number(String(key).slice(1)) % 7 === 0, batchSize: 8 };
    const full = await build();
    const expected = deletedKeys(await collect(sweep(full, options))).length;
    const store = await build();
    const lazy = sweep(store, options);
    expect(await sortedKeys(store)).toHaveLength(130);
    const first = await collect(lazy.pipe(take(5)));
    expect(first).toHaveLength(5);
    const rest = await collect(sweep(store, options));
    // the batch in flight when unsubscribed still completed: its deletions past the 5th went unseen
    expect(first.length + rest.length).toBeLessThanOrEqual(expected);
    expect(rest.length).toBeLessThan(expected - 5);
    expect(await sortedKeys(store)).toEqual(await sortedKeys(full));
    expect(await collect(sweep(store, options))).toEqual([]);
  });

  it('never collects a blob too damaged to tell its age, and keeps going', async () => {
    const { store } = clockedStore(async);
    await run(
      store.multiAssoc([
        ['a', 1],
        ['b', 2],
      ]),
    );
    const [victim] = await listIds(store.backing);
    await store.backing.write(victim!, new Uint8Array([1, 2, 3]));
    const events = await collect(sweep(store, { olderThan: new Date(5000) }));
    expect(events).toHaveLength(1);
    expect(await listIds(store.backing)).toEqual([victim]);
  });
});

describe('sweep racing writes', () => {
  it('a write committed between the first look and the locked delete is not deleted', async () => {
    const { store, clock } = clockedStore();
    await run(
      store.multiAssoc([
        ['victim', 'old'],
        ['other', 'old'],
      ]),
    );
    let raced = false;
    // keep() runs during the unlocked scan: a write lands right there, before the locked re-check
    const keep = (key: Key): boolean => {
      if (key === 'victim' && !raced) {
        raced = true;
        clock.t = 5000;
        store.assoc('victim', 'new').subscribe();
      }
      return false;
    };
    const events = await collect(sweep(store, { olderThan: new Date(2000), keep }));
    expect(deletedKeys(events)).toEqual(['other']);
    expect(await run(store.get('victim'))).toBe('new');
  });

  it.each([0, 1, 2, 3, 5, 8])('a write subscribed %i ms into a sweep over a slow backing always survives', async (delay) => {
    const clock = { t: 1000 };
    const store = createStore(referenceBacking({ async: true }), { now: () => clock.t });
    await run(store.multiAssoc(Array.from({ length: 40 }, (_, i) => [`k${i}`, i] as const)));
    const swept = collect(sweep(store, { olderThan: new Date(2000), batchSize: 4 }));
    await new Promise((r) => setTimeout(r, delay));
    clock.t = 3000;
    await run(store.assoc('k17', 'rewritten'));
    await swept;
    expect(await run(store.get('k17'))).toBe('rewritten');
    expect(await sortedKeys(store)).toEqual(['"k17"']);
  });
});

describe('sweep options and errors', () => {
  it.each([
    [{ batchSize: 0 }],
    [{ batchSize: 2.5 }],
    [{ olderThan: new Date('nope') }],
    [{ olderThan: 1500 }],
    [{ keep: 'abc' }],
    [{ keep: 42 }],
    [{ orphans: 'yes' }],
  ])('rejects %p with ERR_INVALID_ARGUMENT', async (options) => {
    const { store } = clockedStore();
    expect((await errorOf(sweep(store, options as never))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('rejects a keep list with an invalid key with ERR_INVALID_KEY', async () => {
    const { store } = clockedStore();
    expect((await errorOf(sweep(store, { keep: [null as unknown as Key] }))).code).toBe('ERR_INVALID_KEY');
  });

  it('rejects an object that is not a core Store, and a closed store', async () => {
    expect((await errorOf(sweep({} as Store))).code).toBe('ERR_INVALID_ARGUMENT');
    const { store } = clockedStore();
    await run(store.close());
    expect((await errorOf(sweep(store))).code).toBe('ERR_CLOSED');
  });

  it('passes a failing predicate through as an error', async () => {
    const { store } = clockedStore();
    await run(store.assoc('k', 1));
    const failing = sweep(store, {
      olderThan: new Date(5000),
      keep: () => {
        throw new Error('predicate broke');
      },
    });
    await expect(collect(failing)).rejects.toThrow('predicate broke');
    expect(await run(store.get('k'))).toBe(1);
  });
});
