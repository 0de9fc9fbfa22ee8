/**
 * The in-memory contenders: konserve-rx's memory store, the bare floors (a Map behind a Promise or
 * behind `of()`), "the limit" (a Map behind `of()` that encodes each write and decodes each read
 * with cbor-x, i.e. what any store that isolates values by copying must pay), keyv's default store,
 * unstorage's memory driver, and the limit with konserve-rx's own serializer.
 */
import { firstValueFrom, of } from 'rxjs';
import { Keyv } from 'keyv';
import { createStorage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { cborSerializer } from '@konserve-rx/core';
import { connectMemoryStore } from '@konserve-rx/memory';
import { cbor, DOC, keyOf, slot } from '../fixture';
import { observed, promised } from '../harness';
import type { Contender } from './contender';

/** Names of the memory contenders, in report order. */
export const MEMORY_CONTENDERS = [
  'konserve-rx memory',
  'Map + Promise.resolve',
  'Map + of()',
  'limit: Map + of() + cbor',
  'keyv (default Map)',
  'unstorage memory',
  "Map + of() + konserve-rx's CBOR",
] as const;
export type MemoryContenderName = (typeof MEMORY_CONTENDERS)[number];

/**
 * Builds one memory contender by name, preloaded with `keys` copies of `doc`. Each is built in a
 * process of its own by the memory section (see `isolated.ts`), so no other contender's code
 * shares its JIT feedback or its heap.
 */
export async function openMemoryContender(name: MemoryContenderName, keys: number, doc: object): Promise<Contender> {
  switch (name) {
    case 'konserve-rx memory':
      return konserveMemory(keys, name, doc);
    case 'Map + Promise.resolve':
      return mapPromise(keys, doc);
    case 'Map + of()':
      return mapOf(keys, doc);
    case 'limit: Map + of() + cbor':
      return mapOfCbor(keys, name, doc);
    case 'keyv (default Map)':
      return keyvDefault(keys, doc);
    case 'unstorage memory':
      return unstorageMemory(keys, doc);
    case "Map + of() + konserve-rx's CBOR":
      return mapOfOwnCbor(keys, doc);
  }
}

/** konserve-rx's memory store (createStore over memoryBacking), default CBOR serializer. */
export async function konserveMemory(keys: number, name: string = MEMORY_CONTENDERS[0], doc: object = DOC): Promise<Contender> {
  const store = await firstValueFrom(connectMemoryStore());
  for (let k = 0; k < keys; k += 1000) {
    await firstValueFrom(store.multiAssoc(Array.from({ length: Math.min(1000, keys - k) }, (_, j) => [keyOf(k + j), doc] as const)));
  }
  return {
    name,
    get: observed((i) => store.get(keyOf(slot(i, keys)))),
    put: observed((i) => store.assoc(keyOf(slot(i, keys)), doc)),
    close: () => firstValueFrom(store.close()),
  };
}

function preloadedMap<V>(keys: number, value: () => V): Map<string, V> {
  const map = new Map<string, V>();
  for (let k = 0; k < keys; k++) map.set(keyOf(k), value());
  return map;
}

function mapPromise(keys: number, doc: object): Contender {
  const map = preloadedMap(keys, () => doc);
  return {
    name: MEMORY_CONTENDERS[1],
    get: promised((i) => Promise.resolve(map.get(keyOf(slot(i, keys))))),
    put: promised((i) => Promise.resolve(void map.set(keyOf(slot(i, keys)), doc))),
    close: async () => map.clear(),
  };
}

function mapOf(keys: number, doc: object): Contender {
  const map = preloadedMap(keys, () => doc);
  return {
    name: MEMORY_CONTENDERS[2],
    get: observed((i) => of(map.get(keyOf(slot(i, keys))))),
    put: observed((i) => of(void map.set(keyOf(slot(i, keys)), doc))),
    close: async () => map.clear(),
  };
}

/** The limit: a copy on the way in (encode) and a fresh copy on the way out (decode), nothing else. */
export function mapOfCbor(keys: number, name: string = MEMORY_CONTENDERS[3], doc: object = DOC): Contender {
  const map = preloadedMap(keys, () => cbor.encode(doc) as Uint8Array);
  return {
    name,
    get: observed((i) => of(cbor.decode(map.get(keyOf(slot(i, keys)))!))),
    put: observed((i) => of(void map.set(keyOf(slot(i, keys)), cbor.encode(doc)))),
    close: async () => map.clear(),
  };
}

/**
 * The limit with konserve-rx's default serializer in place of cbor-x: its own writer for plain
 * data, cbor-x's decoder. Not a target: the limit of the issue is cbor-x's. It shows how much of
 * the store's lead over that limit on assoc comes from encoding faster, and so what the store's
 * own work costs against a serializer as fast as its own.
 */
function mapOfOwnCbor(keys: number, doc: object): Contender {
  const serializer = cborSerializer();
  const map = preloadedMap(keys, () => serializer.encode(doc));
  return {
    name: MEMORY_CONTENDERS[6],
    get: observed((i) => of(serializer.decode(map.get(keyOf(slot(i, keys)))!))),
    put: observed((i) => of(void map.set(keyOf(slot(i, keys)), serializer.encode(doc)))),
    close: async () => map.clear(),
  };
}

async function keyvDefault(keys: number, doc: object): Promise<Contender> {
  const keyv = new Keyv();
  for (let k = 0; k < keys; k++) await keyv.set(keyOf(k), doc);
  return {
    name: MEMORY_CONTENDERS[4],
    get: promised((i) => keyv.get(keyOf(slot(i, keys)))),
    put: promised((i) => keyv.set(keyOf(slot(i, keys)), doc)),
    close: () => keyv.disconnect(),
  };
}

async function unstorageMemory(keys: number, doc: object): Promise<Contender> {
  const storage = createStorage({ driver: memoryDriver() });
  for (let k = 0; k < keys; k++) await storage.setItem(keyOf(k), doc);
  return {
    name: MEMORY_CONTENDERS[5],
    get: promised((i) => storage.getItem(keyOf(slot(i, keys)))),
    put: promised((i) => storage.setItem(keyOf(slot(i, keys)), doc)),
    close: () => storage.dispose(),
  };
}
