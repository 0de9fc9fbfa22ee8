/**
 * The read side shared by both tiered policies: ask the front, and on a miss read the whole blob
 * from the back and copy it into the front (read-through population), unless a write to the id
 * ended meanwhile (then the bytes read may be older than the front's).
 */
import { attemptMaybe, mapMaybe, type BackingStore, type MaybePromise } from '@konserve-rx/core';
import { rethrow } from './maybe';
import type { ReadTickets } from './read-tickets';

/** The read methods of a tiered backing over `front` and `back`. */
export interface TierReads {
  read(id: string): MaybePromise<Uint8Array | undefined>;
  readHead(id: string, length: number): MaybePromise<Uint8Array | undefined>;
  has(id: string): MaybePromise<boolean>;
}

/** Builds the read-through methods; `tickets` must be voided by every write of the caller. */
export function tierReads(front: BackingStore, back: BackingStore, tickets: ReadTickets): TierReads {
  const fromBack = (id: string): MaybePromise<Uint8Array | undefined> => {
    const ticket = tickets.take(id);
    return attemptMaybe(
      () => back.read(id),
      (bytes) => {
        const fresh = ticket.valid();
        ticket.release();
        if (bytes === undefined || !fresh) return bytes;
        // the front is only a copy: failing to fill it must not fail the read
        return attemptMaybe(
          () => front.write(id, bytes),
          () => bytes,
          () => bytes,
        );
      },
      (e) => (ticket.release(), rethrow(e)),
    );
  };
  const read = (id: string): MaybePromise<Uint8Array | undefined> => mapMaybe(front.read(id), (hit) => (hit !== undefined ? hit : fromBack(id)));
  return {
    read,
    // the front holds whole blobs, so a head miss pulls the whole blob in
    readHead: (id, length) =>
      mapMaybe(front.readHead ? front.readHead(id, length) : front.read(id), (hit) =>
        hit !== undefined ? hit.subarray(0, length) : mapMaybe(fromBack(id), (bytes) => bytes?.subarray(0, length)),
      ),
    has: (id) => mapMaybe(front.has(id), (hit) => hit || back.has(id)),
  };
}
