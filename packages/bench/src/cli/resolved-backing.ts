/** A backing that answers every call with an already-resolved Promise: the asynchronous path without any waiting. */
import { wrapBacking, type BackingStore, type MaybePromise } from '@konserve-rx/core';

/**
 * Wraps `inner` (a synchronous backing) so every call returns a Promise resolved with the inner
 * result. A Store over it runs the same work as over `inner`, but on the asynchronous path every
 * real backend (fs, Redis, PostgreSQL, IndexedDB) takes: the floor measures what that path adds.
 * @param inner - the backing that holds the bytes
 * @returns a backing with `syncResults: false`
 */
export function resolvedBacking(inner: BackingStore): BackingStore {
  return wrapBacking(
    inner,
    {
      capabilities: { ...inner.capabilities, syncResults: false },
      read: (id) => resolved(inner.read(id)),
      write: (id, data) => resolved(inner.write(id, data)),
      delete: (id) => resolved(inner.delete(id)),
      has: (id) => resolved(inner.has(id)),
      list: () => inner.list(),
      close: () => resolved(inner.close?.()),
    },
    {
      readHead: (readHead) => (id, length) => resolved(readHead(id, length)),
      writeBatch: (writeBatch) => (entries) => resolved(writeBatch(entries)),
    },
  );
}

function resolved<T>(value: MaybePromise<T>): Promise<T> {
  return Promise.resolve(value);
}
