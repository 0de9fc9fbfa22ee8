/**
 * The LISTEN connection of a backing: one pool client listening on the store's wake-up channel,
 * kept for as long as the backing is open and replaced (with backoff) whenever it fails. A wake-up
 * sent while no connection listened is lost, so each new LISTEN is reported (`onListening`) and the
 * backing reads the change log then: the changes themselves are in the log, not in the wake-ups.
 */
import type { Notification, Pool } from 'pg';
import type { Statement } from './sql';

/** A running listener. */
export interface Listener {
  /** Resolves when the first LISTEN is in place (rejects with the driver's error when it fails). */
  readonly listening: Promise<void>;
  /**
   * Runs `query` on the listening connection (which has nothing else to do), or on `pool` while there
   * is none; rejects with the driver's error.
   */
  send(query: Statement, values: unknown[]): Promise<unknown>;
  /** Stops listening for good. */
  close(): void;
}

/** Longest wait between two reconnection attempts, in ms. */
const MAX_RETRY_MS = 1000;

/** Listens on `channel` (a quoted identifier), passes each payload to `onPayload`, and calls `onListening` after each LISTEN is in place. */
export function listen(pool: Pool, channel: string, onPayload: (payload: string) => void, onListening: () => void): Listener {
  let closed = false;
  let detach: (() => void) | undefined;
  let wake: (() => void) | undefined;
  /** Runs a query on the live listening connection, after the ones before it. */
  let live: ((query: Statement | string, values?: unknown[]) => Promise<unknown>) | undefined;

  /** Connects and listens; resolves with a promise that settles when that connection is lost (wrapped, so awaiting does not wait for it). */
  const attach = async (): Promise<{ gone: Promise<void> }> => {
    const c = await pool.connect();
    // one query at a time on the connection (node-postgres deprecates overlapping ones)
    let tail: Promise<unknown> = Promise.resolve();
    const serial = (query: Statement | string, values?: unknown[]): Promise<unknown> => {
      const result = tail.then(() => c.query(query, values));
      tail = result.catch(() => undefined);
      return result;
    };
    const notify = (m: Notification): void => {
      if (m.payload !== undefined) onPayload(m.payload);
    };
    let lost!: () => void;
    const gone = new Promise<void>((resolve) => (lost = resolve));
    let released = false;
    const drop = (): void => {
      if (released) return;
      released = true;
      live = undefined;
      c.release(true);
      lost();
    };
    // on close, a healthy connection goes back to the pool listening to nothing
    const giveBack = (): void => {
      if (released) return;
      released = true;
      live = undefined;
      c.off('error', drop).off('end', drop).off('notification', notify);
      const quiet = (): void => undefined;
      c.on('error', quiet);
      const done = (destroy: boolean) => (): void => void c.off('error', quiet).release(destroy);
      serial(`UNLISTEN ${channel}`).then(done(false), done(true));
      lost();
    };
    c.on('error', drop);
    c.on('end', drop);
    c.on('notification', notify);
    try {
      await serial(`LISTEN ${channel}`);
    } catch (e) {
      drop();
      throw e;
    }
    detach = giveBack;
    live = serial;
    if (closed) giveBack();
    else onListening();
    return { gone };
  };
  const listening = attach();
  // after a failed first attempt the owner closes this listener and makes a new one when it retries
  listening.then(
    async (first) => {
      let gone: Promise<void> | undefined = first.gone;
      for (let attempt = 0; !closed;) {
        if (gone !== undefined) {
          await Promise.race([gone, new Promise<void>((r) => (wake = r))]);
          attempt = 0;
        }
        if (closed) break;
        await new Promise<void>((r) => setTimeout(r, Math.min(50 * 2 ** attempt++, MAX_RETRY_MS)).unref());
        if (closed) break;
        gone = (await attach().catch(() => undefined))?.gone;
      }
    },
    () => undefined,
  );
  return {
    listening: listening.then(() => undefined),
    send: (query, values) => (live === undefined ? pool.query(query, values) : live(query, values)),
    close: () => {
      closed = true;
      wake?.();
      detach?.();
    },
  };
}
