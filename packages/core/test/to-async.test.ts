/**
 * The Promise facade: the Store's results as Promises and its streams as AsyncIterables, with
 * the same errors, on a synchronous and an asynchronous backing.
 */
import { describe, expect, it } from '@jest/globals';
import { Observable, Subject } from 'rxjs';
import { createStore, eachValueOf, isKonserveError, toAsync, type TypedStore, type WriteEvent } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

for (const async of [false, true]) {
  describe(`toAsync over a ${async ? 'promise' : 'synchronous'} backing`, () => {
    it('answers every single-result method with a Promise of the Store result', async () => {
      const store = toAsync(createStore(referenceBacking({ async })));
      expect(await store.get('missing')).toBeUndefined();
      expect(await store.get('missing', 'fallback')).toBe('fallback');
      expect((await store.assoc('doc', { a: 1 }, { meta: { by: 'me' } })).by).toBe('me');
      expect(await store.exists('doc')).toBe(true);
      expect(await store.getIn(['doc', 'a'])).toBe(1);
      expect((await store.getMeta('doc'))?.type).toBe('value');
      expect(await store.assocIn(['doc', 'b'], 2)).toEqual({ old: { a: 1 }, new: { a: 1, b: 2 } });
      expect(await store.update('n', (n: number | undefined) => (n ?? 0) + 1)).toEqual({ old: undefined, new: 1 });
      expect(await store.updateIn(['doc', 'b'], (b: number | undefined, by: number) => (b ?? 0) + by, 10)).toEqual({ old: 2, new: 12 });
      expect(
        await store.multiAssoc([
          ['p', 1],
          ['q', 2],
        ]),
      ).toEqual(
        new Map([
          ['p', true],
          ['q', true],
        ]),
      );
      expect(await store.multiGet(['p', 'q', 'r'])).toEqual(
        new Map([
          ['p', 1],
          ['q', 2],
        ]),
      );
      expect(await store.multiDissoc(['p', 'r'])).toEqual(
        new Map([
          ['p', true],
          ['r', false],
        ]),
      );
      await store.bassoc('bin', 'hello');
      expect(await store.bget('bin', (blob) => blob.bytes())).toEqual(new TextEncoder().encode('hello'));
      for (const e of [1, 2, 3]) await store.append('log', e);
      expect(await store.reduceLog('log', (acc: number, e: number) => acc + e, 0)).toBe(6);
      expect(await store.dissoc('q')).toBe(true);
      expect(await store.dissoc('q')).toBe(false);
      // doc, n, bin and log remain
      expect(await store.count()).toBe(4);
      expect(await store.clear()).toBe(4);
      expect(await store.count()).toBe(0);
      await store.close();
    });

    it('iterates keys() and log() with for await', async () => {
      const store = toAsync(createStore(referenceBacking({ async })));
      await store.multiAssoc([
        ['a', 1],
        ['b', 2],
      ]);
      for (const e of ['x', 'y']) await store.append('events', e);
      expect((await collect(store.keys())).map((m) => m.key).sort()).toEqual(['a', 'b', 'events']);
      expect(await collect(store.log('events'))).toEqual(['x', 'y']);
      expect(await collect(store.log('no-log'))).toEqual([]);
    });

    it('rejects with the same KonserveError the Observable fails with', async () => {
      const store = toAsync(createStore(referenceBacking({ async })));
      await store.assoc('plain', 1);
      // the user sees ERR_INVALID_ARGUMENT: append to a key that holds a value, not a log
      await expect(store.append('plain', 2)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      const thrown = await store.assoc(undefined as never, 1).catch((e: unknown) => e);
      expect(isKonserveError(thrown, 'ERR_INVALID_KEY')).toBe(true);
      await store.close();
      await expect(store.get('plain')).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    });

    it('streams watch() and changes() until the store closes, and a loop that breaks unsubscribes', async () => {
      const store = toAsync(createStore(referenceBacking({ async })));
      const seen: unknown[] = [];
      const watching = (async () => {
        for await (const value of store.watch('counter')) {
          seen.push(value);
          if (value === 2) break;
        }
      })();
      const events: WriteEvent[] = [];
      const listening = (async () => {
        for await (const event of store.changes()) events.push(event);
      })();
      // the first value of watch is the current one; wait for it before writing
      while (seen.length === 0) await new Promise((r) => setImmediate(r));
      await store.assoc('counter', 1);
      await store.assoc('counter', 2);
      await watching;
      await store.assoc('counter', 3);
      await store.close();
      await listening;
      expect(seen).toEqual([undefined, 1, 2]);
      expect(events.map((e) => e.value)).toEqual([1, 2, 3]);
      expect(events.every((e) => e.op === 'assoc')).toBe(true);
    });
  });
}

describe('eachValueOf', () => {
  it('keeps values that arrive before the loop asks, then ends with the error after them', async () => {
    const source = new Subject<number>();
    const iterator = eachValueOf(source)[Symbol.asyncIterator]();
    const first = iterator.next();
    source.next(1);
    source.next(2);
    source.error(new Error('boom'));
    expect(await first).toEqual({ done: false, value: 1 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    await expect(iterator.next()).rejects.toThrow('boom');
    await expect(iterator.next()).rejects.toThrow('boom');
  });

  it('subscribes lazily, once per loop, and unsubscribes when the loop breaks', async () => {
    const source = new Subject<number>();
    let subscriptions = 0;
    const counted = new Observable<number>((subscriber) => {
      subscriptions++;
      return source.subscribe(subscriber);
    });
    const iterable = eachValueOf(counted);
    expect(subscriptions).toBe(0);
    const loop = (async () => {
      for await (const v of iterable) if (v === 3) break;
    })();
    while (!source.observed) await new Promise((r) => setImmediate(r));
    expect(subscriptions).toBe(1);
    source.next(3);
    await loop;
    expect(source.observed).toBe(false);
  });
});

describe('toAsync on a typed store', () => {
  it('infers the declared types', async () => {
    type App = TypedStore<{ count: number; name: string }>;
    const store = toAsync(createStore(referenceBacking()) as App);
    await store.assoc('count', 1);
    const count: number | undefined = await store.get('count');
    // @ts-expect-error a string is not a count
    void store.assoc('count', 'one');
    expect(count).toBe(1);
  });
});
