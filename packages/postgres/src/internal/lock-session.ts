/**
 * Cross-process locks and fenced writes (docs/postgres.md, "Locks and fencing"). Every lock a
 * backing holds is a session-level advisory lock on one connection, the lock session; every write
 * to a blob whose lock is held goes through that same connection. An advisory lock lives exactly
 * as long as its session, so a write that reaches the server on the session is made while the lock
 * is held, and once the session is gone (terminated, server restarted, network cut) its locks are
 * gone and no write can be made on it. A write under a lock held on a session that has died fails
 * with `ERR_LOCK_LOST` before reaching the server; a new session serves later locks.
 */
import { locked, lockIdOf, lockLost, type ReleaseLock } from '@konserve-rx/core';
import type { Pool, PoolClient, QueryResult } from 'pg';
import type { SchedulerLike } from 'rxjs';
import { answered } from './errors';
import type { Statement, StoreSql } from './sql';

/** Longest wait between two attempts to take a busy lock, in ms (before jitter). */
const MAX_BACKOFF_MS = 32;

/**
 * One connection holding advisory locks; `alive` turns false for good when it fails or ends.
 * `tail`: the last query sent, so queries run one after another in the order they were sent.
 */
interface Session {
  readonly client: PoolClient;
  alive: boolean;
  tail: Promise<unknown>;
  /** The handler of the connection's 'error' and 'end' events. */
  readonly gone: () => void;
}

/** How locks are taken. */
export interface LockOptions {
  readonly timeout: number;
  readonly scheduler: SchedulerLike;
}

/** Something to run a query on: the pool, or a lock session's connection. */
export type Runner = (query: Statement | string, values?: unknown[]) => Promise<QueryResult>;

/** The locks of one backing and the connection its fenced writes go through. */
export interface LockSessions {
  /** Takes the lock of blob-lock `id`, waiting while another session holds it. */
  lock(id: string): Promise<ReleaseLock>;
  /**
   * Where a write of `ids` must run: on the session holding their locks, or on the pool when none
   * of their locks is held. Errors with `ERR_LOCK_LOST` when a lock is held on a session that died.
   */
  writerFor(ids: readonly string[]): Runner;
  /** Runs `query` on the live session after everything queued on it (to log a change before an unlock); `undefined` when there is none. */
  queueOnSession(query: Statement, values: unknown[]): Promise<QueryResult> | undefined;
  /** Gives the session back to the pool without locks (or ends it when that fails); never rejects. */
  close(): Promise<void>;
}

/** Creates the lock sessions of a backing over `pool`. */
export function lockSessions(pool: Pool, sql: StoreSql, options: LockOptions): LockSessions {
  const held = new Map<string, Session>();
  let current: Session | undefined;
  let opening: Promise<Session> | undefined;
  let closed = false;

  const open = async (): Promise<Session> => {
    const client = await pool.connect();
    const session: Session = { client, alive: true, tail: Promise.resolve(), gone: () => end(session) };
    client.on('error', session.gone);
    client.on('end', session.gone);
    if (closed) end(session);
    return (current = session);
  };
  const session = (): Promise<Session> => (current?.alive === true ? Promise.resolve(current) : (opening ??= open().finally(() => (opening = undefined))));
  /** A query on `s`; a failure that is not the server's answer ends the session (its locks may be gone). */
  const on =
    (s: Session): Runner =>
    (query, values) => {
      const result = s.tail.then(() => (s.alive ? s.client.query(query, values) : Promise.reject(new Error('the lock session has ended'))));
      s.tail = result.catch(() => undefined);
      return result.catch((e: unknown) => {
        if (!answered(e)) end(s);
        throw e;
      });
    };

  return {
    lock: async (id) => {
      const deadline = options.scheduler.now() + options.timeout;
      for (let attempt = 0; ; attempt++) {
        const s = await session();
        const r = await on(s)(sql.tryLock, [sql.lockName(id)]);
        if (r.rows[0]?.ok === true) {
          held.set(id, s);
          return release(s, id);
        }
        if (options.scheduler.now() >= deadline) throw locked(id, options.timeout);
        // jitter keeps waiters of several processes from retrying in lockstep
        await sleep(options.scheduler, Math.min(2 ** attempt, MAX_BACKOFF_MS) * (0.5 + Math.random()));
      }
    },
    writerFor: (ids) => {
      let s: Session | undefined;
      for (const id of ids) {
        const h = held.get(lockIdOf(id));
        if (h === undefined) continue;
        if (!h.alive || h !== current) throw lockLost(id);
        s = h;
      }
      return s === undefined ? (query, values) => pool.query(query, values) : on(s);
    },
    queueOnSession: (query, values) => (current?.alive === true ? on(current)(query, values) : undefined),
    close: async () => {
      closed = true;
      held.clear();
      const s = current;
      if (s === undefined || !s.alive) return;
      // a healthy session goes back to the pool without any lock; one that fails is destroyed
      try {
        await on(s)('SELECT pg_advisory_unlock_all()');
        s.alive = false;
        s.client.off('error', s.gone).off('end', s.gone);
        s.client.release();
      } catch {
        end(s);
      }
    },
  };

  /** The release of a lock: queued on its session (so it runs after that session's writes), without waiting for the reply. */
  function release(s: Session, id: string): ReleaseLock {
    return () => {
      if (held.get(id) !== s) return;
      held.delete(id);
      if (s.alive) on(s)(sql.unlock, [sql.lockName(id)]).catch(() => undefined);
    };
  }
}

/** Marks `s` dead and destroys its connection (the server then frees its locks); idempotent. */
function end(s: Session): void {
  if (!s.alive) return;
  s.alive = false;
  s.client.release(true);
}

function sleep(scheduler: SchedulerLike, ms: number): Promise<void> {
  return new Promise((resolve) => scheduler.schedule(() => resolve(), ms));
}
