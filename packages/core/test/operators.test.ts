/**
 * The store operators in virtual time. A fake Store answers each key with a cold marble
 * Observable, so every test controls exactly when each operation completes, and the marble
 * diagrams show ordering, concurrency (which inner operations are subscribed when) and teardown.
 */
import { describe, expect, it } from '@jest/globals';
import { Observable, Subject, from, lastValueFrom, map, of, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { assocTo, dissocFrom, existsIn, getFrom, isKonserveError, KonserveError, updateWith, type Key, type Store } from '../src';

/** A Store whose single-key methods answer with `answers[key]` (the operators use nothing else). */
function fakeStore(answers: Record<string, Observable<unknown>>): Store {
  const answer = (key: Key): Observable<unknown> => {
    const a = answers[String(key)];
    if (a === undefined) throw new Error(`no answer for ${String(key)}`);
    return a;
  };
  const fake: Partial<Store> = {
    get: (key: Key) => answer(key),
    exists: (key: Key) => answer(key) as Observable<boolean>,
    dissoc: (key: Key) => answer(key) as Observable<boolean>,
    assoc: ((key: Key, value: unknown) => answer(key).pipe(map((meta) => ({ meta, value })))) as unknown as Store['assoc'],
    update: ((key: Key, fn: (old: unknown, ...args: unknown[]) => unknown, ...args: unknown[]) =>
      answer(key).pipe(map((old) => ({ old, new: fn(old, ...args) })))) as unknown as Store['update'],
  };
  return fake as Store;
}

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('operators in virtual time', () => {
  it('ordered (default): results in input order though b and c finish before a', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = fakeStore({ a: cold('30ms (A|)'), b: cold('10ms (B|)'), c: cold('20ms (C|)') });
      expectObservable(from(['a', 'b', 'c']).pipe(getFrom(store))).toBe('30ms (ABC|)');
    });
  });

  it('ordered: false emits each result when its operation completes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = fakeStore({ a: cold('30ms (A|)'), b: cold('10ms (B|)'), c: cold('20ms (C|)') });
      expectObservable(from(['a', 'b', 'c']).pipe(getFrom(store, { ordered: false }))).toBe('10ms B 9ms C 9ms (A|)');
    });
  });

  it('an ordered result that is the head is emitted live, buffered ones follow it at once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = fakeStore({ a: cold('5ms (A|)'), b: cold('30ms (B|)'), c: cold('10ms (C|)'), d: cold('40ms (D|)') });
      // a group "(BC)" spans 4 frames: B and C at 30, D at 40
      expectObservable(from(['a', 'b', 'c', 'd']).pipe(getFrom(store))).toBe('5ms A 24ms (BC) 6ms (D|)');
    });
  });

  it('concurrency: 1 runs one operation at a time, in input order', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('30ms (A|)');
      const b = cold('10ms (B|)');
      const c = cold('20ms (C|)');
      expectObservable(from(['a', 'b', 'c']).pipe(existsIn(fakeStore({ a, b, c }), { concurrency: 1 }))).toBe('30ms A 9ms B 19ms (C|)');
      expectSubscriptions(a.subscriptions).toBe('^ 29ms !');
      expectSubscriptions(b.subscriptions).toBe('30ms ^ 9ms !');
      expectSubscriptions(c.subscriptions).toBe('40ms ^ 19ms !');
    });
  });

  it('concurrency: 2 starts the third operation when the first one frees a slot', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('30ms (A|)');
      const b = cold('10ms (B|)');
      const c = cold('20ms (C|)');
      const store = fakeStore({ a, b, c });
      expectObservable(from(['a', 'b', 'c']).pipe(dissocFrom(store, { concurrency: 2 }))).toBe('30ms (ABC|)');
      expectSubscriptions(c.subscriptions).toBe('10ms ^ 19ms !');
    });
  });

  it('runs 16 operations at once by default', () => {
    scheduler().run(({ cold, expectSubscriptions }) => {
      const answers = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, cold('10ms (x|)')]));
      from(Object.keys(answers))
        .pipe(getFrom(fakeStore(answers)))
        .subscribe();
      expectSubscriptions(answers['k15']!.subscriptions).toBe('^ 9ms !');
      expectSubscriptions(answers['k16']!.subscriptions).toBe('10ms ^ 9ms !');
    });
  });

  it('concurrency: 2, unordered', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = fakeStore({ a: cold('30ms (A|)'), b: cold('10ms (B|)'), c: cold('20ms (C|)') });
      expectObservable(from(['a', 'b', 'c']).pipe(getFrom(store, { concurrency: 2, ordered: false }))).toBe('10ms B 19ms (AC|)');
    });
  });

  it('follows a source that emits over time, and completes only after the last operation', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const store = fakeStore({ a: cold('3ms (A|)'), b: cold('2ms (B|)'), c: cold('8ms (C|)') });
      const keys = hot('a 4ms b 4ms c 4ms |');
      expectObservable(keys.pipe(getFrom(store))).toBe('3ms A 3ms B 10ms (C|)');
    });
  });

  it('withKey pairs each result with its key, in completion order when unordered', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = fakeStore({ a: cold('20ms (A|)'), b: cold('10ms (B|)') });
      expectObservable(from(['a', 'b']).pipe(getFrom(store, { withKey: true, ordered: false }))).toBe('10ms x 9ms (y|)', {
        x: ['b', 'B'],
        y: ['a', 'A'],
      });
    });
  });

  it('assocTo pairs results with the entry key; updateWith passes the key to fn', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = fakeStore({ a: cold('2ms (M|)'), b: cold('1ms (N|)') });
      expectObservable(
        from([
          ['a', 1],
          ['b', 2],
        ] as const).pipe(assocTo(store, { withKey: true })),
      ).toBe('2ms (xy|)', {
        x: ['a', { meta: 'M', value: 1 }],
        y: ['b', { meta: 'N', value: 2 }],
      });
      expectObservable(from(['a', 'b']).pipe(updateWith(store, (old, key) => `${String(old)}+${String(key)}`))).toBe('2ms (xy|)', {
        x: { old: 'M', new: 'M+a' },
        y: { old: 'N', new: 'N+b' },
      });
    });
  });

  it('an operation error errors the output and unsubscribes the other operations', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const err = new KonserveError('ERR_IO', 'disk on fire', { key: 'b' });
      const a = cold('30ms (A|)');
      const b = cold('10ms #', undefined, err);
      const c = cold('20ms (C|)');
      expectObservable(from(['a', 'b', 'c']).pipe(getFrom(fakeStore({ a, b, c }), { concurrency: 2 }))).toBe('10ms #', undefined, err);
      expectSubscriptions(a.subscriptions).toBe('^ 9ms !');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('a source error is forwarded', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const store = fakeStore({ a: cold('1ms (A|)') });
      expectObservable(hot('a 4ms #').pipe(getFrom(store))).toBe('1ms A 3ms #');
    });
  });

  it('unsubscribing stops pulling new work: queued keys are never started', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('10ms (A|)');
      const b = cold('10ms (B|)');
      const c = cold('10ms (C|)');
      expectObservable(from(['a', 'b', 'c']).pipe(getFrom(fakeStore({ a, b, c }), { concurrency: 1 })), '^ 14ms !').toBe('10ms A');
      expectSubscriptions(b.subscriptions).toBe('10ms ^ 4ms !');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('take(n) downstream stops the operator after n results', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('1ms (A|)');
      const b = cold('1ms (B|)');
      const c = cold('1ms (C|)');
      expectObservable(from(['a', 'b', 'c']).pipe(getFrom(fakeStore({ a, b, c }), { concurrency: 1 }), take(2))).toBe('1ms A (B|)');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });
});

describe('operators outside virtual time', () => {
  it('are exported from @konserve-rx/core with the documented default concurrency', async () => {
    const core = await import('@konserve-rx/core');
    for (const name of ['getFrom', 'assocTo', 'updateWith', 'dissocFrom', 'existsIn']) expect(typeof core[name as keyof typeof core]).toBe('function');
    expect(core.DEFAULT_CONCURRENCY).toBe(16);
  });

  it('errors with ERR_INVALID_ARGUMENT on subscribe for a bad concurrency, never at call time', async () => {
    const store = fakeStore({ a: of('A') });
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      const op = getFrom(store, { concurrency });
      await expect(lastValueFrom(of('a').pipe(op))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    }
    expect(await lastValueFrom(from(['a', 'a']).pipe(getFrom(store, { concurrency: Infinity }), toArray()))).toEqual(['A', 'A']);
  });

  it('assocTo errors with ERR_INVALID_ARGUMENT for an input that is not a [key, value] pair', async () => {
    const store = fakeStore({ a: of('M') });
    const bad = from([['a', 1], 'a'] as never[]);
    const err: unknown = await lastValueFrom(bad.pipe(assocTo(store))).catch((e: unknown) => e);
    expect(isKonserveError(err, 'ERR_INVALID_ARGUMENT')).toBe(true);
  });

  it('runs a long queue of synchronous operations in a loop, not by recursion', async () => {
    const gate = new Subject<string>();
    const n = 50_000;
    // the first key waits for the gate, so every other key queues up behind it; once it opens,
    // the rest complete synchronously one after the other
    const answers: Record<string, Observable<unknown>> = { k0: gate };
    for (let i = 1; i < n; i++) answers[`k${i}`] = of(i);
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    const done = lastValueFrom(from(keys).pipe(getFrom(fakeStore(answers), { concurrency: 1 }), toArray()));
    gate.next('first');
    gate.complete();
    const values = await done;
    expect(values).toHaveLength(n);
    expect(values[0]).toBe('first');
    expect(values[n - 1]).toBe(n - 1);
  });
});
