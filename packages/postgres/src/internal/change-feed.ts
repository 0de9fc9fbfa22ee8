/**
 * The change reader of a backing (docs/postgres.md, "Changes across processes"): reads the
 * changes other backings appended to the change log, each exactly once, per key in commit order.
 *
 * A log row carries the id of the transaction that wrote it, and a read returns, with its rows, the
 * snapshot it saw (`pg_current_snapshot()`: the xids still in progress, and `xmax`, the first xid not
 * yet started). A row the last read did not see was written by a transaction in progress then (in
 * its `xip`) or started later (`>= xmax`), so the next read asks for exactly those: no row is missed
 * when transactions commit out of the order of their ids, none is read twice, and nothing depends
 * on clocks. Per key, writers append under the key's lock, so later writes have larger xids and the
 * `ORDER BY xid` of a read keeps commit order. A read runs when woken (a wake-up NOTIFY, a listener
 * reconnected after an outage) and otherwise every {@link FALLBACK_READ_MS}, so a change whose
 * wake-up was lost (its writer died right after committing) arrives all the same.
 */
import type { ChangeNotice } from '@konserve-rx/core';
import type { Pool } from 'pg';
import { decodeNotice } from './notice-codec';
import type { StoreSql } from './sql';

/** A running change reader. */
export interface ChangeFeed {
  /** Takes the starting snapshot: every change committed after it has resolved is delivered. Rejects with the driver's error. */
  start(): Promise<void>;
  /** Asks for a read: one runs at a time, and one more after it when woken meanwhile. */
  wake(): void;
  /** Stops reading for good. */
  close(): void;
}

/** How often the log is read when nothing woke the reader, in ms. */
export const FALLBACK_READ_MS = 1000;

/** Where the next read starts: the last snapshot's `xmax` and in-progress xids (decimal text). */
interface Snapshot {
  readonly xmin: string;
  readonly xmax: string;
  readonly xip: readonly string[];
}

/**
 * Reads the log of `sql` for changes not made by backing instance `origin`, passing each notice to
 * `deliver` in order, and deletes rows whose transactions ended `retention` ms ago or earlier.
 */
export function changeFeed(pool: Pool, sql: StoreSql, origin: string, retention: number, deliver: (n: ChangeNotice) => void): ChangeFeed {
  let cursor: Snapshot | undefined;
  let reading = false;
  let again = false;
  let closed = false;
  let fallback: NodeJS.Timeout | undefined;
  const prune = pruner(pool, sql, retention);

  const read = async (from: Snapshot): Promise<void> => {
    const r = await pool.query<{ snap: string; payload: string | null }>(sql.readChanges, [from.xmax, from.xip, origin]);
    for (const row of r.rows) {
      const notice = row.payload === null || closed ? undefined : decodeNotice(row.payload);
      if (notice !== undefined) deliver(notice);
    }
    cursor = parseSnapshot(r.rows[0]!.snap);
    await prune(cursor.xmin);
  };
  const wake = (): void => {
    if (closed || cursor === undefined) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    clearTimeout(fallback);
    // a failed read (an outage) leaves the cursor where it was: the next one reads the same changes
    read(cursor)
      .catch(() => undefined)
      .finally(() => {
        reading = false;
        if (again) wake();
        else if (!closed) fallback = setTimeout(wake, FALLBACK_READ_MS).unref();
      });
  };
  return {
    start: async () => {
      if (cursor !== undefined) return;
      cursor = parseSnapshot((await pool.query<{ snap: string }>(sql.snapshot)).rows[0]!.snap);
      if (!closed) fallback = setTimeout(wake, FALLBACK_READ_MS).unref();
    },
    wake,
    close: () => {
      closed = true;
      clearTimeout(fallback);
    },
  };
}

/**
 * The log's pruning: every read offers its snapshot's `xmin` (every transaction below it has
 * ended); one is kept per quarter of `retention`, and once a kept one is `retention` old, the rows
 * below it are deleted. So a row is deleted only when its transaction ended at least `retention`
 * ago: a reader that reads at least that often (woken, or by its fallback) misses nothing.
 */
function pruner(pool: Pool, sql: StoreSql, retention: number): (xmin: string) => Promise<void> {
  const marks: { at: number; xmin: string }[] = [];
  return async (xmin) => {
    const now = Date.now();
    const newest = marks[marks.length - 1];
    if (newest === undefined || now - newest.at >= retention / 4) marks.push({ at: now, xmin });
    let due: string | undefined;
    while (marks[0] !== undefined && now - marks[0].at >= retention) due = marks.shift()!.xmin;
    if (due !== undefined) await pool.query(sql.pruneChanges, [due]);
  };
}

/** Parses `pg_current_snapshot()::text`: `xmin:xmax:xip,...`. */
function parseSnapshot(text: string): Snapshot {
  const [xmin = '0', xmax = '0', xip = ''] = text.split(':');
  return { xmin, xmax, xip: xip === '' ? [] : xip.split(',') };
}
