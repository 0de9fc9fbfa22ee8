/**
 * Per-id readers-writer locks granted in request order. A free lock is granted synchronously, so
 * a synchronous backing completes whole operations inside `subscribe`. Entries are deleted when
 * a lock becomes free: the registry never grows with the ids ever touched.
 */

/** Lock mode: many readers at once, or one writer. */
export type LockMode = 'read' | 'write';

/** Call to release a granted lock (or to cancel a waiting request); idempotent. */
export type Unlock = () => void;

interface Waiter {
  readonly mode: LockMode;
  readonly grant: () => void;
}

interface Entry {
  mode: LockMode;
  active: number;
  readonly queue: Waiter[];
}

/** A registry of per-id locks. */
export class KeyLocks {
  private readonly entries = new Map<string, Entry>();
  private readonly pending: Array<() => void> = [];
  private draining = false;

  /** The number of ids currently locked or waited for. */
  get size(): number {
    return this.entries.size;
  }

  /** True when nobody holds or waits for `id`. */
  isFree(id: string): boolean {
    return !this.entries.has(id);
  }

  /**
   * Requests the lock on `id`; `onGrant` runs when granted (synchronously if the lock is free).
   * The returned function releases a granted lock or cancels a waiting request.
   */
  acquire(id: string, mode: LockMode, onGrant: () => void): Unlock {
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    const waiter: Waiter = { mode, grant: () => { state = 'held'; this.run(onGrant); } };
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.entries.set(id, { mode, active: 1, queue: [] });
      waiter.grant();
    } else if (mode === 'read' && entry.mode === 'read' && entry.active > 0 && entry.queue.length === 0) {
      entry.active++;
      waiter.grant();
    } else {
      entry.queue.push(waiter);
    }
    return () => {
      if (state === 'done') return;
      const wasHeld = state === 'held';
      state = 'done';
      const e = this.entries.get(id);
      if (e === undefined) return;
      if (wasHeld) e.active--;
      else e.queue.splice(e.queue.indexOf(waiter), 1);
      this.pump(id, e);
    };
  }

  /**
   * Requests every id at once; `onGrant` runs when all are held. Queuing on all ids now (not one
   * after another) keeps subscription order on each of them: a later request for one id cannot
   * overtake this one while it waits for another. It also rules out deadlock: every queue is in
   * request order, so an operation only ever waits for operations requested before it.
   */
  acquireAll(ids: readonly string[], mode: LockMode, onGrant: () => void): Unlock {
    if (ids.length === 1) return this.acquire(ids[0]!, mode, onGrant);
    const unique = [...new Set(ids)];
    let missing = unique.length;
    let cancelled = false;
    const unlocks = unique.map((id) => this.acquire(id, mode, () => {
      if (--missing === 0 && !cancelled) onGrant();
    }));
    return () => {
      cancelled = true;
      for (const u of unlocks.splice(0).reverse()) u();
    };
  }

  private pump(id: string, e: Entry): void {
    if (e.active > 0) {
      if (e.mode === 'write') return;
      // more readers may join only while no writer waits ahead of them
      while (e.queue[0]?.mode === 'read') this.grantHead(e, 'read');
      return;
    }
    const head = e.queue[0];
    if (head === undefined) {
      this.entries.delete(id);
      return;
    }
    this.grantHead(e, head.mode);
    if (head.mode === 'read') while (e.queue[0]?.mode === 'read') this.grantHead(e, 'read');
  }

  private grantHead(e: Entry, mode: LockMode): void {
    const w = e.queue.shift()!;
    e.mode = mode;
    e.active++;
    w.grant();
  }

  // Runs grant callbacks one after another instead of nesting them, so a long queue of
  // synchronous operations on one key does not grow the call stack.
  private run(fn: () => void): void {
    if (this.draining) {
      this.pending.push(fn);
      return;
    }
    this.draining = true;
    try {
      fn();
      for (let f = this.pending.shift(); f !== undefined; f = this.pending.shift()) f();
    } finally {
      this.draining = false;
    }
  }
}
