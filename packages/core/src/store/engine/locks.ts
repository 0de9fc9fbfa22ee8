/**
 * Per-id readers-writer locks granted in request order. A free lock is granted synchronously, so
 * a synchronous backing completes whole operations inside `subscribe`. Entries are deleted when
 * a lock becomes free: the registry never grows with the ids ever touched.
 */

/** Lock mode: many readers at once, or one writer. */
export type LockMode = 'read' | 'write';

/** Call to release a granted lock (or to cancel a waiting request); idempotent. */
export type Unlock = () => void;

/** Who is told when a lock is granted: an operation, which so needs no callback closure. */
export interface Grantee {
  /** Called once when the lock is granted (synchronously inside the request when it is free). */
  granted(): void;
}

const REQUESTED = 0;
const GRANTED = 1;
const RELEASED = 2;

/** One request for the lock on one id: the registry's record of it, handed back to release it. */
export class LockTicket {
  /** REQUESTED, GRANTED or RELEASED; owned by the registry. */
  state = REQUESTED;
  constructor(
    readonly id: string,
    readonly mode: LockMode,
    readonly grantee: Grantee,
  ) {}
}

interface Entry {
  mode: LockMode;
  active: number;
  // created on the first waiter: most locks are taken and released without anyone waiting
  queue: LockTicket[] | undefined;
}

/** A registry of per-id locks. */
export class KeyLocks {
  private readonly entries = new Map<string, Entry>();
  private readonly pending: LockTicket[] = [];
  private draining = false;

  /** The number of ids currently locked or waited for. */
  get size(): number {
    return this.entries.size;
  }

  /** True when nobody holds or waits for `id`. */
  isFree(id: string): boolean {
    // an empty registry, the common case between operations, needs no lookup
    return this.entries.size === 0 || !this.entries.has(id);
  }

  /**
   * Requests the lock on `id` for `grantee`, whose `granted()` runs when it is granted
   * (synchronously if the lock is free).
   * @returns the ticket that releases the lock, or withdraws the request while it waits
   */
  request(id: string, mode: LockMode, grantee: Grantee): LockTicket {
    const ticket = new LockTicket(id, mode, grantee);
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.entries.set(id, { mode, active: 1, queue: undefined });
      this.grant(ticket);
    } else if (mode === 'read' && entry.mode === 'read' && entry.active > 0 && (entry.queue === undefined || entry.queue.length === 0)) {
      entry.active++;
      this.grant(ticket);
    } else {
      (entry.queue ??= []).push(ticket);
    }
    return ticket;
  }

  /** Releases the lock a ticket holds, or withdraws its waiting request; idempotent. */
  release(ticket: LockTicket): void {
    const state = ticket.state;
    if (state === RELEASED) return;
    ticket.state = RELEASED;
    const e = this.entries.get(ticket.id);
    if (e === undefined) return;
    if (state === GRANTED) e.active--;
    else e.queue?.splice(e.queue.indexOf(ticket), 1);
    this.pump(ticket.id, e);
  }

  /**
   * Requests every id at once; `onGrant` runs when all are held. Queuing on all ids now (not one
   * after another) keeps subscription order on each of them: a later request for one id cannot
   * overtake this one while it waits for another. It also rules out deadlock: every queue is in
   * request order, so an operation only ever waits for operations requested before it.
   */
  acquireAll(ids: readonly string[], mode: LockMode, grantee: Grantee): Unlock {
    const unique = [...new Set(ids)];
    let missing = unique.length;
    let cancelled = false;
    const all: Grantee = {
      granted: () => {
        if (--missing === 0 && !cancelled) grantee.granted();
      },
    };
    const tickets = unique.map((id) => this.request(id, mode, all));
    return () => {
      cancelled = true;
      for (const t of tickets.splice(0).reverse()) this.release(t);
    };
  }

  private pump(id: string, e: Entry): void {
    const queue = e.queue;
    if (e.active > 0) {
      if (e.mode === 'write' || queue === undefined) return;
      // more readers may join only while no writer waits ahead of them
      this.grantReaders(e, queue);
      return;
    }
    const head = queue?.[0];
    if (head === undefined) {
      this.entries.delete(id);
      return;
    }
    this.grantHead(e, queue!, head.mode);
    if (head.mode === 'read') this.grantReaders(e, queue!);
  }

  /**
   * Grants the readers at the head of the queue while the key is held for reading. The mode is
   * checked before each grant: a reader may finish inside its grant and release, which hands the
   * key to the writer queued next; the readers behind that writer then wait for it.
   */
  private grantReaders(e: Entry, queue: LockTicket[]): void {
    while (e.mode === 'read' && queue[0]?.mode === 'read') this.grantHead(e, queue, 'read');
  }

  private grantHead(e: Entry, queue: LockTicket[], mode: LockMode): void {
    const w = queue.shift()!;
    e.mode = mode;
    e.active++;
    this.grant(w);
  }

  // Marks the waiter granted at once (so a release before its callback ran still counts it),
  // then runs grant callbacks one after another instead of nesting them, so a long queue of
  // synchronous operations on one key does not grow the call stack.
  private grant(w: LockTicket): void {
    w.state = GRANTED;
    if (this.draining) {
      this.pending.push(w);
      return;
    }
    this.draining = true;
    try {
      w.grantee.granted();
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) next.grantee.granted();
    } finally {
      this.draining = false;
    }
  }
}
