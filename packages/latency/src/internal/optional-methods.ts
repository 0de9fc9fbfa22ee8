/** Adds the delayed version of each optional `BackingStore` method the inner backing has. */
import { mapMaybe, passThrough, type BackingStore, type BlobHandle } from '@konserve-rx/core';
import type { LatencyBacking } from '../latency-backing';
import type { BackingOp } from '../ops';
import type { Delegate } from './delayed-call';

/** Runs `run(id, arg)` as operation `op` (on blob `id`) after its sampled delay. */
export type Call = <A, T>(op: BackingOp, id: string | undefined, run: Delegate<A, T>, arg: A) => Promise<T>;

/**
 * Adds readHead, open, writeStream, writeBatch and lock to `target` when `inner` has them,
 * so core sees the same optional methods (and picks the same fallbacks) as without latency.
 * `announce` and `remoteChanges` (change notices between instances, e.g. Redis pub/sub) are
 * passed through undelayed: a delay per notice would reorder them, and the stream promises
 * notices in the order they were announced.
 * @param target - the latency backing being built
 * @param inner - the wrapped backing
 * @param call - runs one delayed operation
 */
export function addOptionalMethods(target: LatencyBacking, inner: BackingStore, call: Call): void {
  const { readHead, open, writeStream, writeBatch, lock } = inner;
  if (readHead) target.readHead = (id, length) => call('readHead', id, () => readHead.call(inner, id, length), undefined);
  if (open) {
    target.open = (id) => call('open', id, () => mapMaybe(open.call(inner, id), (handle) => handle && delayedHandle(handle, id, call)), undefined);
  }
  if (writeStream) {
    target.writeStream = (id, chunks, head) => call('writeStream', id, () => writeStream.call(inner, id, chunks, head), undefined);
  }
  if (writeBatch) target.writeBatch = (entries) => call('writeBatch', undefined, () => writeBatch.call(inner, entries), undefined);
  if (lock) target.lock = (id) => call('lock', id, () => lock.call(inner, id), undefined);
  passThrough(target, inner);
}

/** Positional reads of an open blob are round trips too: each one is delayed as a `read`. */
function delayedHandle(handle: BlobHandle, id: string, call: Call): BlobHandle {
  return {
    size: handle.size,
    read: (position, length) => call('read', id, () => handle.read(position, length), undefined),
    close: () => handle.close(),
  };
}
