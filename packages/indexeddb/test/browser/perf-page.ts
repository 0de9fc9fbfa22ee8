/**
 * Side by side in one page: the konserve-rx IndexedDB store against idb-keyval (the smallest
 * common IndexedDB key-value library), sequential `assoc`/`set` and `get` of a ~1 KB document,
 * rounds alternating between the two so that drift of the machine hits both alike.
 */
import { connectIndexedDbStore } from '@konserve-rx/indexeddb';
import { createStore as idbKeyvalStore, get as idbGet, set as idbSet } from 'idb-keyval';
import { firstValueFrom, lastValueFrom } from 'rxjs';

/** A ~1 KB document. */
const doc = (i: number) => ({ id: i, title: `note ${i}`, body: 'lorem ipsum dolor sit amet '.repeat(36), tags: ['a', 'b', 'c'], at: 1764633600000 + i });

/** Median ops/s of each contender and operation. */
export interface PerfFigures {
  readonly docBytes: number;
  readonly opsPerRound: number;
  readonly rounds: number;
  readonly konserve: { assoc: number; get: number };
  readonly idbKeyval: { set: number; get: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return n / ((performance.now() - t0) / 1000);
}

async function run(n: number, rounds: number, crossTabLocks = true): Promise<PerfFigures> {
  const store = await firstValueFrom(
    connectIndexedDbStore({ name: `perf-konserve-${Date.now()}`, ...(crossTabLocks ? {} : { locks: null, shareChanges: false }) }),
  );
  const kv = idbKeyvalStore(`perf-idb-keyval-${Date.now()}`, 'kv');
  const k = { assoc: [] as number[], get: [] as number[] };
  const v = { set: [] as number[], get: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    k.assoc.push(await timed(n, (i) => lastValueFrom(store.assoc(`k${i}`, doc(i)))));
    v.set.push(await timed(n, (i) => idbSet(`k${i}`, doc(i), kv)));
    k.get.push(await timed(n, (i) => lastValueFrom(store.get(`k${i}`))));
    v.get.push(await timed(n, (i) => idbGet(`k${i}`, kv)));
  }
  await lastValueFrom(store.close());
  return {
    docBytes: JSON.stringify(doc(0)).length,
    opsPerRound: n,
    rounds,
    konserve: { assoc: median(k.assoc), get: median(k.get) },
    idbKeyval: { set: median(v.set), get: median(v.get) },
  };
}

Object.assign(globalThis, { konservePerf: { run }, ready: true });
