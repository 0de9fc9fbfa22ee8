/**
 * Test backings: a memory backing whose calls can be held until released (to order a racing read
 * and write by hand), fail on demand, and count calls.
 */
import type { BackingStore } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';

export interface Controlled extends BackingStore {
  /** The Map holding the bytes. */
  readonly map: Map<string, Uint8Array>;
  /** Calls per method name. */
  readonly calls: Record<string, number>;
  /** Method names that throw `ERR`-less plain errors while listed. */
  readonly failing: Set<string>;
  /** When set, every call waits for this promise before running. */
  gate?: Promise<void> | undefined;
}

/** A memory backing answering with promises, optionally gated, failing or counting. */
export function controlledBacking(options: { sync?: boolean } = {}): Controlled {
  const map = new Map<string, Uint8Array>();
  const inner = memoryBacking({ map });
  const calls: Record<string, number> = {};
  const failing = new Set<string>();
  const self: Controlled = {
    map,
    calls,
    failing,
    capabilities: { ...inner.capabilities, syncResults: options.sync === true },
    read: (id) => call('read', () => inner.read(id)),
    readHead: (id, n) => call('readHead', () => inner.readHead!(id, n)),
    write: (id, data) => call('write', () => inner.write(id, data)),
    writeBatch: (entries) => call('writeBatch', () => inner.writeBatch!(entries)),
    delete: (id) => call('delete', () => inner.delete(id)),
    has: (id) => call('has', () => inner.has(id)),
    list: () => inner.list(),
  };
  // the result stands in for any backing method's, whose types differ per method
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function call<T>(name: string, run: () => T | PromiseLike<T>): any {
    calls[name] = (calls[name] ?? 0) + 1;
    const go = (): T | PromiseLike<T> => {
      if (failing.has(name)) throw new Error(`${name} failed on purpose`);
      return run();
    };
    if (options.sync) return go();
    const gate = self.gate ?? Promise.resolve();
    return gate.then(go);
  }
  return self;
}

/** A promise and its resolver. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
