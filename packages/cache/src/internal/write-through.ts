/**
 * The write-through policy: every write goes to the back first and then to the front, so the
 * front is always a subset of the back and a completed write is as durable as the back makes it.
 */
import { attemptMaybe, isThenable, mapMaybe, type BackingStore, type BatchEntry, type MaybePromise } from '@konserve-rx/core';
import { rethrow } from './maybe';
import type { ReadTickets } from './read-tickets';

/** The write methods of a write-through tiered backing. */
export interface WriteThrough {
  write(id: string, data: Uint8Array): MaybePromise<void>;
  delete(id: string): MaybePromise<boolean>;
  writeBatch?(entries: readonly BatchEntry[]): MaybePromise<void>;
}

/** Builds the write-through methods; `writeBatch` only when the back has one. */
export function writeThrough(front: BackingStore, back: BackingStore, tickets: ReadTickets): WriteThrough {
  // the back now holds newer bytes than the front may: drop the front's copy, then report
  const dropFront = (ids: readonly string[], e: unknown): MaybePromise<never> =>
    attemptMaybe(
      () =>
        applyAll(
          front,
          ids.map((id) => [id, null] as const),
        ),
      () => rethrow(e),
      () => rethrow(e),
    );
  const toFront = (entries: readonly BatchEntry[]): MaybePromise<void> => {
    for (const [id] of entries) tickets.invalidate(id);
    return attemptMaybe(
      () => applyAll(front, entries),
      () => undefined,
      (e) =>
        dropFront(
          entries.map(([id]) => id),
          e,
        ),
    );
  };
  const methods: WriteThrough = {
    write: (id, data) => mapMaybe(back.write(id, data), () => toFront([[id, data]])),
    delete: (id) =>
      mapMaybe(back.delete(id), (existed) => {
        tickets.invalidate(id);
        return mapMaybe(front.delete(id), (inFront) => existed || inFront);
      }),
  };
  if (back.writeBatch) {
    const batch = back.writeBatch.bind(back);
    methods.writeBatch = (entries) => mapMaybe(batch(entries), () => toFront(entries));
  }
  return methods;
}

/** Applies entries to a backing: in one batch when it has `writeBatch`, else one by one in order. */
export function applyAll(backing: BackingStore, entries: readonly BatchEntry[]): MaybePromise<void> {
  if (backing.writeBatch && entries.length > 1) return backing.writeBatch(entries);
  return applyFrom(backing, entries, 0);
}

// a loop while the backing answers synchronously (no stack growth), promise steps once it does not
function applyFrom(backing: BackingStore, entries: readonly BatchEntry[], start: number): MaybePromise<void> {
  for (let i = start; i < entries.length; i++) {
    const [id, data] = entries[i]!;
    const done = data === null ? backing.delete(id) : backing.write(id, data);
    if (isThenable(done)) return Promise.resolve(done).then(() => applyFrom(backing, entries, i + 1));
  }
  return undefined;
}
