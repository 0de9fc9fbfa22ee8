/**
 * The change reader of a backing (docs/postgres.md, "Changes across processes"): reads the
 * changes other backings appended to the change log, each exactly once, per key in commit order.
 *
 * A log row carries the id of the transaction that wrote it (xid), and a read returns, with its
 * rows, the snapshot it saw (`pg_current_snapshot()`) and the largest xid among the rows it saw
 * (`last`, this reader's own rows included). A row the last read did not see was written by a
 * transaction still in progress then (in the snapshot's `xip`) or by a later one (`> last`: a
 * transaction that had ended before the snapshot and wrote a row above `last` would have been seen),
 * so the next read asks for exactly those: no row is missed when transactions commit out of the
 * order of their ids, none is read twice, and nothing depends on clocks. `last` is an xid that
 * wrote a row the reader saw, so it survives a server crash, and the xids the server hands out again
 * after one (those of transactions whose end was lost) are all above it; the snapshot's `xmax` is
 * not (it may be such an xid). Per key, writers append under the key's lock, so later writes have
 * larger xids and the `ORDER BY xid` of a read keeps commit order. A read runs when woken (a wake-up NOTIFY, a listener
 * reconnected after an outage) and otherwise every {@link FALLBACK_READ_MS}, so a change whose
 * wake-up was lost (its writer died right after committing) arrives all the same.
 */
import type { ChangeNotice } from '@konserve-rx/core';
import type { Pool } from 'pg';
import { rowNotice, type NoticeRow } from './notice-codec';
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

/** Where the next read starts (xids as decimal text): the largest xid seen, and those in progress at the last read. */
interface Cursor {
  readonly last: string;
  readonly xip: readonly string[];
}

/**
 * Reads the log of `sql` for changes not made by backing instance `origin`, passing each notice to
 * `deliver` in order, and deletes rows whose transactions ended `retention` ms ago or earlier.
 */
export function changeFeed(pool: Pool, sql: StoreSql, origin: string, retention: number, deliver: (n: ChangeNotice) => void): ChangeFeed {
  let cursor: Cursor | undefined;
  let reading = false;
  let again = false;
  let closed = false;
  let fallback: NodeJS.Timeout | undefined;
  const prune = pruner(pool, sql, retention);

  const read = async (from: Cursor): Promise<void> => {
    const r = await pool.query<Row>(sql.readChanges, [from.last, from.xip, origin]);
    for (const row of r.rows) {
      const notice = row.op === null || closed ? undefined : rowNotice(row as NoticeRow);
      if (notice !== undefined) deliver(notice);
    }
    const { xmin, xip } = parseSnapshot(r.rows[0]!.snap);
    cursor = { last: r.rows[0]!.last ?? from.last, xip };
    await prune(xmin);
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
      const start = (await pool.query<Row>(sql.changesStart)).rows[0]!;
      // an empty log: every row to come is above 0
      cursor = { last: start.last ?? '0', xip: parseSnapshot(start.snap).xip };
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

/** A row of `readChanges` (or `changesStart`, without a change): a change's columns are null in the one row of a read that found none. */
interface Row extends Omit<NoticeRow, 'op'> {
  readonly snap: string;
  readonly last: string | null;
  readonly op: string | null;
}

/** Parses `pg_current_snapshot()::text`, `xmin:xmax:xip,...`, into its `xmin` and in-progress xids. */
function parseSnapshot(text: string): { xmin: string; xip: string[] } {
  const [xmin = '0', , xip = ''] = text.split(':');
  return { xmin, xip: xip === '' ? [] : xip.split(',') };
}
