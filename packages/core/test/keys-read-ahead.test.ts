/** keys() over an asynchronous backing reads several Metas at once, in a bounded window, emitting in list order. */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { BackingStore } from '../src/backing';
import { createStore } from '../src/create-store';
import { keyRef } from '../src/format/key';
import { referenceBacking } from '../src/testing/reference-backing';

/** The async reference backing, with reads that take a few ms each and count how many run at once. */
function countingBacking(): BackingStore & { inFlight: number; maxInFlight: number; reads: number } {
  const inner = referenceBacking({ async: true });
  const backing = {
    ...inner,
    inFlight: 0,
    maxInFlight: 0,
    reads: 0,
    read: async (id: string) => {
      backing.reads++;
      backing.inFlight++;
      backing.maxInFlight = Math.max(backing.maxInFlight, backing.inFlight);
      // later ids answer sooner, so completions overtake each other
      await new Promise((r) => setTimeout(r, 1 + (id.charCodeAt(0) % 5)));
      backing.inFlight--;
      return inner.read(id);
    },
  };
  return backing;
}

describe('keys() read-ahead', () => {
  it('overlaps Meta reads (at most 16 at once) and still emits every key in list order', async () => {
    const backing = countingBacking();
    const store = createStore(backing);
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    await lastValueFrom(store.multiAssoc(keys.map((k) => [k, k] as const)));
    const listed: string[] = [];
    for await (const id of backing.list()) listed.push(id);
    backing.maxInFlight = 0;
    const metas = await lastValueFrom(store.keys().pipe(toArray()));
    expect(new Set(metas.map((m) => m.key))).toEqual(new Set(keys));
    // in the backing's list order, whatever order the reads finished in
    expect(metas.map((m) => keyRef(m.key).id)).toEqual(listed);
    expect(backing.maxInFlight).toBeGreaterThan(1);
    expect(backing.maxInFlight).toBeLessThanOrEqual(16);
  });

  it("stops reading when the subscriber leaves, and with onDamaged: 'fail' fails in order with the error of a damaged blob", async () => {
    const backing = countingBacking();
    const store = createStore(backing);
    await lastValueFrom(store.multiAssoc(Array.from({ length: 40 }, (_, i) => [`k${i}`, i] as const)));
    backing.reads = 0;
    const first = await firstValueFrom(store.keys().pipe(take(3), toArray()));
    expect(first).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 50));
    // the 3 taken plus at most one window read ahead, not all 40
    expect(backing.reads).toBeLessThanOrEqual(3 + 16);
    const ids: string[] = [];
    for await (const id of backing.list()) ids.push(id);
    await backing.write(ids[5]!, new Uint8Array([1, 2, 3]));
    const seen: unknown[] = [];
    const err = await new Promise((resolve) =>
      store.keys({ onDamaged: 'fail' }).subscribe({ next: (m) => seen.push(m.key), error: resolve, complete: () => resolve(undefined) }),
    );
    expect(err).toMatchObject({ code: expect.stringMatching(/^ERR_(CORRUPT|FORMAT)$/), path: ids[5] });
    expect(seen).toHaveLength(5);
  });

  it('reports a damaged blob to onDamaged at its place in list order and emits every other key', async () => {
    const backing = countingBacking();
    const store = createStore(backing);
    await lastValueFrom(store.multiAssoc(Array.from({ length: 40 }, (_, i) => [`k${i}`, i] as const)));
    const ids: string[] = [];
    for await (const id of backing.list()) ids.push(id);
    await backing.write(ids[5]!, new Uint8Array([1, 2, 3]));
    const order: string[] = [];
    await new Promise<void>((resolve, reject) =>
      store
        .keys({ onDamaged: (e) => order.push(`damaged ${e.path}`) })
        .subscribe({ next: (m) => order.push(keyRef(m.key).id), error: reject, complete: resolve }),
    );
    expect(order).toEqual([...ids.slice(0, 5), `damaged ${ids[5]}`, ...ids.slice(6)]);
  });
});
