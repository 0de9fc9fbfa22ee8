/**
 * The store operators over real stores: the synchronous reference backing, and the reference
 * backing with seeded delays, whose operations complete out of order, to show that `ordered`
 * results and per-key write order hold when the backing answers in any order.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, from, lastValueFrom, map, range, toArray } from 'rxjs';
import { assocTo, createStore, dissocFrom, existsIn, getFrom, inspectStore, updateWith, type Store } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';

const all = <T>(obs: import('rxjs').Observable<T>): Promise<T[]> => lastValueFrom(obs.pipe(toArray()));

describe('operators over the synchronous reference backing', () => {
  it('assocTo, getFrom, existsIn, updateWith and dissocFrom round-trip', async () => {
    const store = createStore<number>(referenceBacking());
    const metas = await all(
      from([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ] as const).pipe(assocTo(store)),
    );
    expect(metas.map((m) => m.key)).toEqual(['a', 'b', 'c']);
    expect(await all(from(['c', 'missing', 'a']).pipe(getFrom(store)))).toEqual([3, undefined, 1]);
    expect(await all(from(['a', 'missing']).pipe(existsIn(store, { withKey: true })))).toEqual([
      ['a', true],
      ['missing', false],
    ]);
    expect(await all(from(['a', 'b', 'a']).pipe(updateWith(store, (n) => (n ?? 0) * 10)))).toEqual([
      { old: 1, new: 10 },
      { old: 2, new: 20 },
      { old: 10, new: 100 },
    ]);
    expect(await all(from(['a', 'a', 'z']).pipe(dissocFrom(store)))).toEqual([true, false, false]);
    expect(await all(from(['a', 'b', 'c']).pipe(getFrom(store)))).toEqual([undefined, 20, 3]);
    expect(inspectStore(store).activeLocks).toBe(0);
  });

  it('imports 2000 entries with bounded concurrency', async () => {
    const store = createStore<{ n: number }>(referenceBacking());
    const metas = await all(
      range(0, 2000).pipe(
        map((n) => [`item/${n}`, { n }] as const),
        assocTo(store, { concurrency: 4 }),
      ),
    );
    expect(metas).toHaveLength(2000);
    expect(await all(store.keys())).toHaveLength(2000);
    expect(await firstValueFrom(store.get('item/1999'))).toEqual({ n: 1999 });
  });

  it('errors with the store error (a KonserveError with its code and key)', async () => {
    const store = createStore(referenceBacking());
    const err = await all(from(['ok', () => 'not a key'] as never[]).pipe(getFrom(store))).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'KonserveError', code: 'ERR_INVALID_KEY' });
    const bad = await all(from([['k', () => 1]] as const).pipe(assocTo(store))).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'ERR_NOT_SERIALIZABLE', key: 'k' });
    expect(await firstValueFrom(store.exists('k'))).toBe(false);
  });

  it('updateWith errors with what fn throws, unchanged', async () => {
    const store = createStore<number>(referenceBacking());
    const thrown = new Error('no');
    const err = await all(
      from(['a']).pipe(
        updateWith(store, () => {
          throw thrown;
        }),
      ),
    ).catch((e: unknown) => e);
    expect(err).toBe(thrown);
  });
});

describe('operators over the reference backing with seeded delays (operations complete out of order)', () => {
  const keys = Array.from({ length: 120 }, (_, i) => `k${i}`);

  async function filled(seed: number): Promise<Store<number>> {
    const store = createStore<number>(referenceBacking({ delays: { max: 4, seed } }));
    await lastValueFrom(from(keys.map((k, i) => [k, i] as const)).pipe(assocTo(store, { concurrency: 32 })));
    return store;
  }

  it('ordered results follow the input even though operations finish in another order', async () => {
    const store = await filled(1);
    const ordered = await all(from(keys).pipe(getFrom(store, { concurrency: 16 })));
    expect(ordered).toEqual(keys.map((_, i) => i));
    const unordered = await all(from(keys).pipe(getFrom(store, { concurrency: 16, ordered: false })));
    expect([...unordered].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(ordered);
    expect(unordered).not.toEqual(ordered); // 120 reads with random delays do not finish in order
  });

  it('writes of one key apply in input order, whatever the completion order', async () => {
    const store = createStore<number>(referenceBacking({ delays: { max: 4, seed: 2 } }));
    const input = Array.from({ length: 200 }, (_, i) => [`key${i % 5}`, i] as const);
    await lastValueFrom(from(input).pipe(assocTo(store, { concurrency: 16, ordered: false })));
    // the last pair of each key wins, as if the writes had run one by one
    expect(await all(from(['key0', 'key1', 'key2', 'key3', 'key4']).pipe(getFrom(store)))).toEqual([195, 196, 197, 198, 199]);
  });

  it('N updates of one key apply N times, each on the previous result', async () => {
    const store = createStore<number>(referenceBacking({ delays: { max: 4, seed: 3 } }));
    const input = Array.from({ length: 100 }, (_, i) => `counter${i % 4}`);
    const changes = await all(from(input).pipe(updateWith(store, (n) => (n ?? 0) + 1, { concurrency: 16, ordered: false, withKey: true })));
    expect(await all(from(['counter0', 'counter1', 'counter2', 'counter3']).pipe(getFrom(store)))).toEqual([25, 25, 25, 25]);
    for (const key of ['counter0', 'counter3']) {
      const chain = changes
        .filter(([k]) => k === key)
        .map(([, c]) => c)
        .sort((x, y) => x.new - y.new);
      expect(chain.map((c) => c.old)).toEqual([undefined, ...chain.slice(0, -1).map((c) => c.new)]);
    }
    expect(inspectStore(store).activeLocks).toBe(0);
  });
});
