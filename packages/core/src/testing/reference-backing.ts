/**
 * The minimal in-core reference backing: a Map with only the required BackingStore methods
 * (no prefix reads, handles, streams, batches or locks), so core's fallbacks are what runs. Core
 * proves the compliance suite on it, and packages test against it without needing another backend.
 */
import type { BackingStore, MaybePromise } from '../backing';
import { mulberry32 } from '../random';

/** Options of {@link referenceBacking}. */
export interface ReferenceBackingOptions {
  /**
   * Answer every call with a promise, exercising core's asynchronous path.
   * @default false
   */
  async?: boolean;
  /**
   * Delay each answer by a seeded random time from 0 to `max` milliseconds, so concurrent calls
   * complete out of order (implies `async`). What a test asserts must hold for any order.
   * @default no delay
   */
  delays?: { readonly max: number; readonly seed: number };
  /**
   * The Map that holds the blobs: pass the same Map to reopen the same data.
   * @default a new Map
   */
  map?: Map<string, Uint8Array>;
}

/**
 * A BackingStore over a Map with only the required methods.
 * @param options - whether it answers asynchronously or out of order, and the Map to use
 * @returns the backing; its capabilities say `syncResults` only when it answers at once
 * @example
 * ```ts
 * import { createStore } from '@konserve-rx/core';
 * import { referenceBacking } from '@konserve-rx/core/testing';
 *
 * const store = createStore(referenceBacking({ delays: { max: 3, seed: 1 } }));
 * ```
 */
export function referenceBacking(options: ReferenceBackingOptions = {}): BackingStore {
  const blobs = options.map ?? new Map<string, Uint8Array>();
  const answer = answerer(options);
  const async = options.async === true || options.delays !== undefined;
  return {
    capabilities: { syncResults: !async, atomicMulti: false, durable: false, multiProcess: false },
    read: (id) => answer(() => blobs.get(id)?.slice()),
    write: (id, data) => answer(() => void blobs.set(id, data.slice())),
    delete: (id) => answer(() => blobs.delete(id)),
    has: (id) => answer(() => blobs.has(id)),
    list: () => (async ? asyncList([...blobs.keys()]) : [...blobs.keys()]),
  };
}

/** How a call is answered: at once, on a microtask, or after a seeded delay (the work runs when the delay ends). */
function answerer(options: ReferenceBackingOptions): <T>(f: () => T) => MaybePromise<T> {
  const { delays } = options;
  if (delays !== undefined) {
    const random = mulberry32(delays.seed);
    return (f) => new Promise((resolve, reject) => setTimeout(() => settle(f, resolve, reject), random() * delays.max));
  }
  if (options.async === true) return (f) => Promise.resolve().then(f);
  return (f) => f();
}

function settle<T>(f: () => T, resolve: (v: T) => void, reject: (e: unknown) => void): void {
  try {
    resolve(f());
  } catch (e) {
    reject(e);
  }
}

async function* asyncList(ids: string[]): AsyncGenerator<string> {
  for (const id of ids) yield await Promise.resolve(id);
}
