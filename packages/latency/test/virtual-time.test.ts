import { describe, expect, it } from '@jest/globals';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { latencyBacking } from '../src/latency-backing';
import { bytes, mapBacking } from './helpers/map-backing';

/** A latency function replaying the given delays in call order. */
function delays(...ms: number[]): () => number {
  let i = 0;
  return () => ms[i++] ?? 0;
}

describe('latencyBacking in virtual time', () => {
  it('completes operations in order of their delays, not of their calls', async () => {
    const done: string[] = [];
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ expectObservable }) => {
      const b = latencyBacking(mapBacking(), { latency: delays(30, 10, 20), scheduler: testScheduler });
      expectObservable(b.stats$.pipe(map((t) => `${t.id}:${t.durationMs}`)), '^ 40ms !').toBe('10ms b 9ms c 9ms a', { a: 'a:30', b: 'b:10', c: 'c:20' });
      void b.write('a', bytes('slow')).then(() => done.push('a'));
      void b.write('b', bytes('fast')).then(() => done.push('b'));
      void b.has('c').then(() => done.push('c'));
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toEqual(['b', 'c', 'a']);
  });

  it('keeps fractions of a millisecond: a call due 0.2 ms sooner completes first, at its own time', async () => {
    const done: string[] = [];
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const durations: number[] = [];
    testScheduler.run(({ flush }) => {
      const b = latencyBacking(mapBacking(), { latency: delays(2.4, 2.2), scheduler: testScheduler });
      b.stats$.subscribe((t) => durations.push(t.durationMs));
      void b.has('a').then(() => done.push('a'));
      void b.has('b').then(() => done.push('b'));
      flush();
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toEqual(['b', 'a']);
    expect(durations.map((d) => Math.round(d * 10) / 10)).toEqual([2.2, 2.4]);
  });

  it('applies a later write first when its delay is shorter (the store must order writes itself)', () => {
    const inner = mapBacking();
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ flush }) => {
      const b = latencyBacking(inner, { latency: delays(5, 1), scheduler: testScheduler });
      void b.write('k', bytes('first'));
      void b.write('k', bytes('second'));
      flush();
    });
    expect(new TextDecoder().decode(inner.blobs.get('k'))).toBe('first');
  });

  it('emits an injected failure at its sampled time', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ expectObservable }) => {
      const b = latencyBacking(mapBacking(), { latency: 7, failures: { rate: 1 }, scheduler: testScheduler });
      expectObservable(b.stats$.pipe(map((t) => t.simulated)), '^ 10ms !').toBe('7ms t', { t: true });
      b.write('x', bytes('1')).catch(() => undefined);
    });
  });
});
