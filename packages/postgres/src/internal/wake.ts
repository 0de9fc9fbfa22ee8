/**
 * The wake-ups a backing sends after its changes are logged (docs/postgres.md, "Changes across
 * processes"): one NOTIFY, in a transaction of its own, at most once per interval, never inside a
 * write. A NOTIFY takes a lock at commit that every notifying transaction of the database waits for;
 * kept out of the writes and coalesced, it no longer serializes their commits.
 */
import type { Statement, StoreSql } from './sql';

/** The wake-ups of one backing. */
export interface Waker {
  /** Called after a change was committed: a wake-up follows, sent after this call. */
  written(): void;
  /** Sends a wake-up still pending at once and stops; never rejects. */
  close(): Promise<void>;
}

/** Sends `SELECT pg_notify(channel, origin)` through `send` at most once per `interval` ms. */
export function waker(send: (query: Statement, values: unknown[]) => Promise<unknown>, sql: StoreSql, origin: string, interval: number): Waker {
  let pending: NodeJS.Timeout | undefined;
  let last = -Infinity;
  let closed = false;
  const wake = (): Promise<unknown> => {
    pending = undefined;
    last = Date.now();
    // best effort: a lost wake-up delays delivery until the readers' fallback read
    return send(sql.wake, [sql.channelName, origin]).catch(() => undefined);
  };
  return {
    written: () => {
      // a wake-up already scheduled has not started: its NOTIFY commits after this change did
      if (closed || pending !== undefined) return;
      pending = setTimeout(wake, Math.max(0, last + interval - Date.now()));
    },
    close: async () => {
      closed = true;
      if (pending === undefined) return;
      clearTimeout(pending);
      await wake();
    },
  };
}
