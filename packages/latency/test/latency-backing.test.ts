import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, toArray } from 'rxjs';
import { createStore, inspectStore } from '@konserve-rx/core';
import { latencyBacking } from '../src/latency-backing';
import { BACKING_OPS } from '../src/ops';
import { bytes, mapBacking, text } from './helpers/map-backing';

const OPTIONAL = ['readHead', 'open', 'writeStream', 'writeBatch', 'lock'] as const;
const fast = { latency: { distribution: 'uniform', min: 0, max: 2 }, seed: 1 } as const;

describe('latencyBacking', () => {
  it('copies capabilities except syncResults, which is false', () => {
    const inner = mapBacking();
    const backing = latencyBacking(inner, fast);
    expect(backing.capabilities).toEqual({ ...inner.capabilities, syncResults: false });
  });

  it.each([false, true])('has an optional method exactly when the inner has it (full: %s)', (full) => {
    const inner = mapBacking(full);
    const backing = latencyBacking(inner, fast);
    for (const name of OPTIONAL) expect(typeof backing[name]).toBe(typeof inner[name]);
  });

  it('delegates every method after a delay, returning promises', async () => {
    const inner = mapBacking(true);
    const b = latencyBacking(inner, fast);
    const written = b.write('a', bytes('hello'));
    expect(written).toBeInstanceOf(Promise);
    expect(inner.blobs.has('a')).toBe(false);
    await written;
    expect(text(await b.read('a'))).toBe('hello');
    expect(text(await b.readHead?.('a', 2))).toBe('he');
    expect(await b.has('a')).toBe(true);
    await b.writeBatch?.([
      ['b', bytes('bee')],
      ['a', null],
    ]);
    const ids: string[] = [];
    for await (const id of b.list()) ids.push(id);
    expect(ids).toEqual(['b']);
    const handle = await b.open?.('b');
    expect(handle?.size).toBe(3);
    expect(text(await handle?.read(1, 5))).toBe('ee');
    await handle?.close();
    expect(await b.delete('b')).toBe(true);
    expect(await b.open?.('b')).toBeUndefined();
  });

  it('streams through writeStream and takes locks through the inner', async () => {
    const b = latencyBacking(mapBacking(true), fast);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes('xxx');
      yield bytes('def');
    }
    await b.writeStream?.('s', chunks(), () => bytes('abc'));
    expect(text(await b.read('s'))).toBe('abcdef');
    const release = await b.lock?.('s');
    expect(typeof release).toBe('function');
  });

  it('keeps the inner error when the inner fails', async () => {
    const inner = mapBacking();
    const boom = new Error('disk on fire');
    const b = latencyBacking(
      {
        ...inner,
        read: () => {
          throw boom;
        },
      },
      fast,
    );
    await expect(b.read('x')).rejects.toBe(boom);
    expect(b.summary().read).toMatchObject({ count: 1, failed: 1 });
  });

  it('replays the same delays for the same seed, with or without failures', async () => {
    const sampled = async (failures?: { rate: number }): Promise<number[]> => {
      const b = latencyBacking(mapBacking(), { ...fast, seed: 9, ...(failures ? { failures } : {}) });
      // stats$ emits in completion order; sorting by blob id gives the delay of each call.
      const timings = firstValueFrom(b.stats$.pipe(toArray()));
      await Promise.allSettled(Array.from({ length: 20 }, (_, i) => b.has(`k${String(i).padStart(2, '0')}`)));
      await b.close?.();
      return (await timings).sort((x, y) => String(x.id).localeCompare(String(y.id))).map((t) => t.latencyMs);
    };
    const plain = await sampled();
    expect(await sampled()).toEqual(plain);
    expect(await sampled({ rate: 0.5 })).toEqual(plain);
  });

  it('summarises durations, sampled delays and failures per operation', async () => {
    const b = latencyBacking(mapBacking(), { latency: 1, seed: 3 });
    await Promise.all([b.write('a', bytes('1')), b.write('b', bytes('2')), b.read('a')]);
    const s = b.summary();
    expect(Object.keys(s).sort()).toEqual(['read', 'write']);
    expect(s.write).toMatchObject({ count: 2, failed: 0, sampledMean: 1 });
    expect(s.write?.p50).toBeGreaterThanOrEqual(0);
  });

  it('completes stats$ when closed and reports the seed it chose', async () => {
    const b = latencyBacking(mapBacking(), { latency: 0 });
    expect(Number.isInteger(b.seed)).toBe(true);
    const all = firstValueFrom(b.stats$.pipe(toArray()));
    await b.has('x');
    await b.close?.();
    expect((await all).map((t) => t.op)).toEqual(['has']);
  });

  it('lists every operation name once', () => {
    expect(new Set(BACKING_OPS).size).toBe(11);
  });
});

describe('latencyBacking passes through what it does not delay', () => {
  it('the inner backing counters reach inspectStore through the wrapper', () => {
    const inner = { ...mapBacking(), inspect: () => ({ lockWaits: 2 }) };
    expect(inspectStore(createStore(latencyBacking(inner, { latency: { distribution: 'fixed', ms: 0 } }))).backing).toEqual({ lockWaits: 2 });
  });
});
