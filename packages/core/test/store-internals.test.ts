/** What core promises beyond the shared suite: the clock, deep queues, queued cancellation. */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, merge } from 'rxjs';
import { createStore, inspectStore } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

describe('createStore', () => {
  it('never lets lastWrite go backwards, even when the wall clock does', async () => {
    const times = [5000, 9000, 1000, 7000];
    const store = createStore(referenceBacking(), { now: () => times.shift() ?? 0 });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) seen.push((await firstValueFrom(store.assoc('k', i))).lastWrite.getTime());
    expect(seen).toEqual([5000, 9000, 9000, 9000]);
  });

  it('runs 20,000 queued synchronous updates of one key without growing the stack', () => {
    const store = createStore(referenceBacking());
    let last: unknown;
    merge(...Array.from({ length: 20000 }, () => store.update('n', (v: unknown) => ((v as number | undefined) ?? 0) + 1))).subscribe((c) => (last = c.new));
    expect(last).toBe(20000);
    expect(inspectStore(store).activeLocks).toBe(0);
  });

  it('drops a write that was unsubscribed while still queued behind another', async () => {
    const store = createStore(referenceBacking({ async: true }));
    const first = firstValueFrom(store.assoc('k', 'first'));
    const queued = store.assoc('k', 'dropped').subscribe();
    queued.unsubscribe();
    await first;
    expect(await firstValueFrom(store.get('k'))).toBe('first');
    expect(inspectStore(store)).toMatchObject({ activeLocks: 0, inflight: 0, closed: false });
  });

  it('finishes a started write after its subscriber left', async () => {
    const map = new Map<string, Uint8Array>();
    const store = createStore(referenceBacking({ async: true, map }));
    store.assoc('k', 'kept').subscribe().unsubscribe();
    await lastValueFrom(store.close());
    expect(await firstValueFrom(createStore(referenceBacking({ map })).get('k'))).toBe('kept');
  });

  it('hashes keys into 64 hex characters, so no key can become a path', async () => {
    const map = new Map<string, Uint8Array>();
    const store = createStore(referenceBacking({ map }));
    await firstValueFrom(store.assoc('../../etc/passwd', 'x'));
    expect([...map.keys()]).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('finds every key again after far more keys than the key cache holds went through it', async () => {
    const map = new Map<string, Uint8Array>();
    const store = createStore(referenceBacking({ map }));
    const keys = Array.from({ length: 40_000 }, (_, i) => (i % 2 === 0 ? `k${i}` : ['k', i]));
    for (const key of keys) store.assoc(key, 1).subscribe();
    expect(map.size).toBe(40_000);
    // read back in another order: first the oldest keys (long evicted), then recent ones
    const probe = [...keys.slice(0, 50), ...keys.slice(-50), ...keys.slice(0, 50)];
    const found = await Promise.all(probe.map((k) => firstValueFrom(store.exists(k))));
    expect(found.every(Boolean)).toBe(true);
    expect(await firstValueFrom(store.exists('k1'))).toBe(false);
  });
});
