/**
 * The foreground half of write-behind: a write lands in the pending map (the truth until it is
 * in the back) and in the front, then completes; reads look at pending writes first, so a
 * pending delete is never resurrected from the back and an evicting front loses nothing.
 */
import { attemptMaybe, type BackingStore, type BatchEntry, type MaybePromise } from '@konserve-rx/core';
import type { Pending } from './flusher';
import type { ReadTickets } from './read-tickets';
import type { TierReads } from './tier-reads';
import { applyAll } from './write-through';

/** The methods a write-behind tiered backing adds over its read-through reads. */
export interface WriteBehind extends TierReads {
  write(id: string, data: Uint8Array): MaybePromise<void>;
  delete(id: string): MaybePromise<boolean>;
  writeBatch(entries: readonly BatchEntry[]): MaybePromise<void>;
  list(): Iterable<string> | AsyncIterable<string>;
}

/** Builds the write-behind methods over `dirty`; `scheduled()` is called after every write. */
export function writeBehind(
  front: BackingStore,
  back: BackingStore,
  dirty: Map<string, Pending>,
  tickets: ReadTickets,
  reads: TierReads,
  scheduled: () => void,
): WriteBehind {
  let seq = 0;
  const record = (id: string, data: Uint8Array | null): Pending | undefined => {
    const previous = dirty.get(id);
    seq++;
    // re-inserted at the end: the Map's order is the order the back must see the writes in
    dirty.delete(id);
    dirty.set(id, { data, seq, minSeq: previous?.minSeq ?? seq });
    tickets.invalidate(id);
    return previous;
  };
  // the pending map already holds the write, so a failing front only loses a copy: drop it
  const toFront = (entries: readonly BatchEntry[]): MaybePromise<void> =>
    attemptMaybe(
      () => applyAll(front, entries),
      () => undefined,
      () =>
        attemptMaybe(
          () =>
            applyAll(
              front,
              entries.map(([id]) => [id, null] as const),
            ),
          () => undefined,
          () => undefined,
        ),
    );
  return {
    read: (id) => {
      const p = dirty.get(id);
      return p === undefined ? reads.read(id) : (p.data ?? undefined);
    },
    readHead: (id, length) => {
      const p = dirty.get(id);
      return p === undefined ? reads.readHead(id, length) : p.data?.subarray(0, length);
    },
    has: (id) => {
      const p = dirty.get(id);
      return p === undefined ? reads.has(id) : p.data !== null;
    },
    write: (id, data) => {
      record(id, data);
      scheduled();
      return toFront([[id, data]]);
    },
    writeBatch: (entries) => {
      for (const [id, data] of entries) record(id, data);
      scheduled();
      return toFront(entries);
    },
    delete: (id) => {
      const previous = record(id, null);
      scheduled();
      const existed = (inFront: boolean): MaybePromise<boolean> => (previous !== undefined ? previous.data !== null : inFront || back.has(id));
      return attemptMaybe(
        () => front.delete(id),
        existed,
        () => existed(false),
      );
    },
    list: () => listMerged(back.list(), new Map(dirty)),
  };
}

/** The back's ids not overridden by a pending write, then the pending writes that are not deletes. */
function listMerged(fromBack: Iterable<string> | AsyncIterable<string>, pending: Map<string, Pending>): Iterable<string> | AsyncIterable<string> {
  if (Symbol.asyncIterator in fromBack) {
    return (async function* () {
      for await (const id of fromBack) if (!pending.has(id)) yield id;
      yield* live(pending);
    })();
  }
  return (function* () {
    for (const id of fromBack) if (!pending.has(id)) yield id;
    yield* live(pending);
  })();
}

function* live(pending: Map<string, Pending>): Generator<string> {
  for (const [id, p] of pending) if (p.data !== null) yield id;
}
