/**
 * Side by side in one page: the konserve-rx IndexedDB store against idb-keyval (the smallest
 * common IndexedDB key-value library), sequential `assoc`/`set` and `get` of a ~1 KB document,
 * the two alternating every 25 operations so that drift of the machine hits both alike.
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

/** Operations of one contender in a row before the other's turn: small, so load drift hits both alike. */
const CHUNK = 25;

/**
 * Times `n` operations of each of two contenders, alternating every {@link CHUNK} operations.
 * @returns the ops/s of each over the whole round
 */
async function sideBySide(n: number, ours: (i: number) => Promise<unknown>, theirs: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const spent = [0, 0];
  for (let from = 0; from < n; from += CHUNK) {
    for (const [c, op] of [ours, theirs].entries()) {
      const t0 = performance.now();
      for (let i = from; i < Math.min(n, from + CHUNK); i++) await op(i);
      spent[c]! += performance.now() - t0;
    }
  }
  return [n / (spent[0]! / 1000), n / (spent[1]! / 1000)];
}

/**
 * Measures `rounds` rounds of `n` writes, then `n` reads, of each contender, side by side.
 * @param options - the store's sharing options (`locks: null`, `shareChanges: false`), default as an app gets it
 */
async function run(n: number, rounds: number, options: { locks?: null; shareChanges?: boolean } = {}): Promise<PerfFigures> {
  const store = await firstValueFrom(connectIndexedDbStore({ name: `perf-konserve-${Date.now()}`, ...options }));
  const kv = idbKeyvalStore(`perf-idb-keyval-${Date.now()}`, 'kv');
  const k = { assoc: [] as number[], get: [] as number[] };
  const v = { set: [] as number[], get: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const [assoc, set] = await sideBySide(
      n,
      (i) => lastValueFrom(store.assoc(`k${i}`, doc(i))),
      (i) => idbSet(`k${i}`, doc(i), kv),
    );
    const [get, kvGet] = await sideBySide(
      n,
      (i) => lastValueFrom(store.get(`k${i}`)),
      (i) => idbGet(`k${i}`, kv),
    );
    k.assoc.push(assoc);
    v.set.push(set);
    k.get.push(get);
    v.get.push(kvGet);
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
