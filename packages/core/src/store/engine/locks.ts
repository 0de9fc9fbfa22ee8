/**
 * Per-id readers-writer locks granted in request order. A free lock is granted synchronously, so
 * a synchronous backing completes whole operations inside `subscribe`. Entries are deleted when
 * a lock becomes free: the registry never grows with the ids ever touched.
 */

/** Lock mode: many readers at once, or one writer. */
export type LockMode = 'read' | 'write';

/** Call to release a granted lock (or to cancel a waiting request); idempotent. */
export type Unlock = () => void;

/**
 * A lock request that is its own callback: the registry queues the object as it is, so taking a
 * lock allocates no closure (an operation passes itself). `lockState` belongs to the registry.
 */
export interface LockWaiter {
  /** The mode requested. */
  readonly mode: LockMode;
  /** Set by the registry: 0 requested, 1 granted, 2 released or withdrawn. Start at 0. */
  lockState: number;
  /** Called once when the lock is granted (synchronously inside `request` when it is free). */
  granted(): void;
}

const REQUESTED = 0;
const GRANTED = 1;
const RELEASED = 2;

interface Entry {
  mode: LockMode;
  active: number;
  // created on the first waiter: most locks are taken and released without anyone waiting
  queue: LockWaiter[] | undefined;
}

/** The waiter behind the callback form {@link KeyLocks.acquire}. */
class CallbackWaiter implements LockWaiter {
  lockState = REQUESTED;
  constructor(
    readonly mode: LockMode,
    private readonly onGrant: () => void,
  ) {}
  granted(): void {
    this.onGrant();
  }
}

/** A registry of per-id locks. */
export class KeyLocks {
  private readonly entries = new Map<string, Entry>();
  private readonly pending: LockWaiter[] = [];
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
    const waiter = new CallbackWaiter(mode, onGrant);
    this.request(id, waiter);
    return () => this.release(id, waiter);
  }

  /**
   * Requests the lock on `id` for `waiter`, whose `granted()` runs when it is granted
   * (synchronously if the lock is free). Each waiter requests one id, once.
   */
  request(id: string, waiter: LockWaiter): void {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.entries.set(id, { mode: waiter.mode, active: 1, queue: undefined });
      this.grant(waiter);
    } else if (waiter.mode === 'read' && entry.mode === 'read' && entry.active > 0 && (entry.queue === undefined || entry.queue.length === 0)) {
      entry.active++;
      this.grant(waiter);
    } else {
      (entry.queue ??= []).push(waiter);
    }
  }

  /** Releases the lock `waiter` holds on `id`, or withdraws its waiting request; idempotent. */
  release(id: string, waiter: LockWaiter): void {
    const state = waiter.lockState;
    if (state === RELEASED) return;
    waiter.lockState = RELEASED;
    const e = this.entries.get(id);
    if (e === undefined) return;
    if (state === GRANTED) e.active--;
    else e.queue?.splice(e.queue.indexOf(waiter), 1);
    this.pump(id, e);
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
    const unlocks = unique.map((id) =>
      this.acquire(id, mode, () => {
        if (--missing === 0 && !cancelled) onGrant();
      }),
    );
    return () => {
      cancelled = true;
      for (const u of unlocks.splice(0).reverse()) u();
    };
  }

  private pump(id: string, e: Entry): void {
    const queue = e.queue;
    if (e.active > 0) {
      if (e.mode === 'write' || queue === undefined) return;
      // more readers may join only while no writer waits ahead of them
      while (queue[0]?.mode === 'read') this.grantHead(e, queue, 'read');
      return;
    }
    const head = queue?.[0];
    if (head === undefined) {
      this.entries.delete(id);
      return;
    }
    this.grantHead(e, queue!, head.mode);
    if (head.mode === 'read') while (queue![0]?.mode === 'read') this.grantHead(e, queue!, 'read');
  }

  private grantHead(e: Entry, queue: LockWaiter[], mode: LockMode): void {
    const w = queue.shift()!;
    e.mode = mode;
    e.active++;
    this.grant(w);
  }

  // Marks the waiter granted at once (so a release before its callback ran still counts it),
  // then runs grant callbacks one after another instead of nesting them, so a long queue of
  // synchronous operations on one key does not grow the call stack.
  private grant(w: LockWaiter): void {
    w.lockState = GRANTED;
    if (this.draining) {
      this.pending.push(w);
      return;
    }
    this.draining = true;
    try {
      w.granted();
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) next.granted();
    } finally {
      this.draining = false;
    }
  }
}
