/**
 * Guards read-through population against racing writes: a read that missed takes a ticket before
 * asking the slower layer, and a write or delete of the same id voids every ticket taken before it
 * ends. Populating with a voided ticket would put bytes older than the write into the fast layer.
 */

/** One read in flight. */
export interface ReadTicket {
  /** False once a write or delete of the id ended after the ticket was taken. */
  valid(): boolean;
  /** Forgets the ticket; call exactly once, when the read settles. */
  release(): void;
}

/** The tickets of reads in flight, per blob id; holds only ids with a read in flight. */
export interface ReadTickets {
  /** Takes a ticket for a read of `id` that is about to ask the slower layer. */
  take(id: string): ReadTicket;
  /** Voids every ticket of `id` taken so far. */
  invalidate(id: string): void;
  /** Voids every ticket. */
  invalidateAll(): void;
}

/** Creates an empty ticket registry. */
export function readTickets(): ReadTickets {
  const open = new Map<string, Set<{ ok: boolean }>>();
  return {
    take(id) {
      const ticket = { ok: true };
      let set = open.get(id);
      if (set === undefined) open.set(id, (set = new Set()));
      set.add(ticket);
      return {
        valid: () => ticket.ok,
        release: () => {
          set.delete(ticket);
          if (set.size === 0 && open.get(id) === set) open.delete(id);
        },
      };
    },
    invalidate(id) {
      const set = open.get(id);
      if (set === undefined) return;
      for (const ticket of set) ticket.ok = false;
    },
    invalidateAll() {
      for (const set of open.values()) for (const ticket of set) ticket.ok = false;
    },
  };
}
