/**
 * Expiry details beyond the compliance area (which every backend runs): the options' checks,
 * update's two call forms, the Promise facade, and how the clock options combine.
 */
import { describe, expect, it } from '@jest/globals';
import { errorOf, record, run, virtualClock } from '@konserve-rx/core/testing';
import { createStore, sweep, toAsync } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('expiry: options', () => {
  it('createStore refuses a now that is not a function and a scheduler that is not a SchedulerLike', () => {
    expect(thrown(() => createStore(referenceBacking(), { now: 5 as never }))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(thrown(() => createStore(referenceBacking(), { scheduler: {} as never }))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('update and updateIn take { fn, ttl } in the place of fn; a misspelled option or a missing function is ERR_INVALID_ARGUMENT', async () => {
    const store = createStore(referenceBacking());
    expect((await errorOf(store.update('k', { tll: 5, fn: () => 1 } as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(store.update('k', { ttl: 5 } as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(store.updateIn(['k', 'a'], null as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(store.assocIn(['k', 'a'], 1, { ttl: -1 }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(store.bassoc('b', 'x', { ttl: 0 }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect(await run(store.exists('k'))).toBe(false);
    expect(await run(store.update('k', { ttl: 5, fn: (n: number | undefined, by: number) => (n ?? 0) + by }, 3))).toEqual({ old: undefined, new: 3 });
  });

  it('expiresAt counts from the write’s lastWrite, by the store’s clock (now wins over the scheduler’s)', async () => {
    const clock = virtualClock(1_000);
    const store = createStore(referenceBacking(), { scheduler: clock.scheduler, now: () => 5_000 });
    const meta = await run(store.assoc('k', 1, { ttl: 10 }));
    expect(meta.lastWrite.getTime()).toBe(5_000);
    expect(meta.expiresAt).toBe(5_010);
  });

  it('a user meta field named expiresAt never sets an expiry: the built field wins', async () => {
    const clock = virtualClock();
    const store = createStore(referenceBacking(), { scheduler: clock.scheduler });
    const meta = await run(store.assoc('k', 1, { meta: { expiresAt: 0, owner: 'me' } }));
    expect(meta).not.toHaveProperty('expiresAt');
    expect(meta.owner).toBe('me');
    clock.advance(1_000_000);
    expect(await run(store.get('k'))).toBe(1);
  });

  it('the Promise facade passes ttl options on', async () => {
    const clock = virtualClock();
    const store = toAsync(createStore(referenceBacking({ async: true }), { scheduler: clock.scheduler }));
    await store.assoc('a', 1, { ttl: 10 });
    await store.update('u', { ttl: 10, fn: () => 1 });
    await store.assocIn(['p', 'x'], 1, { ttl: 10 });
    expect(await store.count()).toBe(3);
    clock.advance(10);
    expect(await store.count()).toBe(0);
  });
});

describe('expiry: watch and sweep', () => {
  it('watch of a key that expired before the subscription emits undefined, with no timer', async () => {
    const clock = virtualClock();
    const store = createStore(referenceBacking(), { scheduler: clock.scheduler });
    await run(store.assoc('k', 1, { ttl: 10 }));
    clock.advance(10);
    const rec = record(store.watch('k'));
    expect(await rec.until(1)).toEqual([undefined]);
    expect(clock.scheduler.actions.length).toBe(0);
    rec.stop();
  });

  it('a write without a ttl cancels the watch timer of the value it replaces', async () => {
    const clock = virtualClock();
    const store = createStore(referenceBacking(), { scheduler: clock.scheduler });
    await run(store.assoc('k', 1, { ttl: 10 }));
    const rec = record(store.watch('k'));
    await rec.until(1);
    await run(store.assoc('k', 2));
    clock.advance(100);
    expect(rec.values).toEqual([1, 2]);
    rec.stop();
  });

  it('sweep({ expired: true }) refuses keep and olderThan, and emits no change event for what it removes', async () => {
    const clock = virtualClock();
    const store = createStore(referenceBacking(), { scheduler: clock.scheduler });
    expect((await errorOf(sweep(store, { expired: true, keep: ['k'] }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(sweep(store, { expired: true, olderThan: new Date() }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(sweep(store, { expired: 'yes' as never }))).code).toBe('ERR_INVALID_ARGUMENT');
    await run(store.assoc('k', 1, { ttl: 10 }));
    await run(store.append('log', 'e'));
    clock.advance(10);
    const events = record(store.changes());
    const swept = await new Promise<unknown[]>((resolve, reject) => {
      const out: unknown[] = [];
      sweep(store, { expired: true }).subscribe({ next: (e) => out.push(e.deleted), error: reject, complete: () => resolve(out) });
    });
    expect(swept).toEqual(['k']);
    expect(events.values).toEqual([]);
    expect(await run(store.count())).toBe(1);
    events.stop();
  });
});
