/**
 * Change events shared across processes: after each committed write core hands the backing a
 * {@link ChangeNotice} (`announce`), and notices other instances announced (`remoteChanges`)
 * become events on this Store's `changes()` and `watch()`, with the same WriteEvent shape.
 * A notice carries no value, so the receiver re-reads the key, and only while someone listens.
 */
import { EMPTY, concatMap, from, type Subscription } from 'rxjs';
import type { BackingStore, ChangeNotice } from '../backing';
import { runFlow } from './engine/flow';
import { keyRef } from '../format/key';
import { decodeMeta, encodeMeta } from '../format/meta';
import { checkMetaKey } from '../format/key-check';
import type { AppendLogHead, Meta, Path } from '../store-api';
import { elementId, placeOfElement } from './append-log';
import type { ChangeRecord, StoreContext } from './engine/context';
import { readBlob, valueReader, type StoredBlob } from './read';

/** The function core calls after each committed write, or `undefined` when the backing does not announce. */
export function announcer(backing: BackingStore): ((record: ChangeRecord) => void) | undefined {
  const announce = backing.announce;
  if (announce === undefined) return undefined;
  return (record) => {
    try {
      announce.call(backing, noticeOf(record));
    } catch {
      // best effort by contract: the write is committed whatever happens to its announcement
    }
  };
}

/**
 * Emits the backing's remote notices on `ctx.changes`, in order. Ends when the backing completes
 * `remoteChanges` (on close); a failing stream of notices never fails the Store.
 */
export function listenRemote(ctx: StoreContext): Subscription | undefined {
  const remote = ctx.backing.remoteChanges;
  if (remote === undefined) return undefined;
  const listening = (): boolean => !ctx.life.closed && ctx.changes.observed;
  return remote.pipe(concatMap((notice) => (listening() ? from(recordOf(ctx, notice)) : EMPTY))).subscribe({
    next: (record) => {
      if (record !== undefined && listening()) ctx.changes.next(record);
    },
    error: () => undefined,
  });
}

/** The notice other instances receive of a committed write. */
export function noticeOf(r: ChangeRecord): ChangeNotice {
  const notice: { -readonly [F in keyof ChangeNotice]: ChangeNotice[F] } = {
    op: r.op,
    id: r.id,
    // a written blob holds the Meta's bytes already: no second encoding on every shared write
    meta: r.metaBytes ?? encodeMeta(r.meta),
    deleted: r.deleted === true,
  };
  if (r.path) notice.path = r.path.slice(1) as (string | number)[];
  if (r.op === 'append' && r.current) {
    const head = r.current() as AppendLogHead;
    notice.element = elementId(r.id, head.gen, head.count - 1);
  }
  return notice;
}

/** Builds the record of a remote write; `undefined` for a notice this version cannot read. */
async function recordOf(ctx: StoreContext, n: ChangeNotice): Promise<ChangeRecord | undefined> {
  let base: ChangeRecord;
  try {
    const meta = metaOfNotice(n);
    base = { op: n.op, key: meta.key, id: n.id, meta, ...(n.path ? { path: [meta.key, ...n.path] as Path } : {}) };
  } catch {
    return undefined;
  }
  // bassoc events carry no value; watch re-reads deleted or value-less records itself
  if (n.deleted) return { ...base, deleted: true };
  if (n.op === 'bassoc') return base;
  try {
    const value = await reread(ctx, n.element ?? n.id, base, n.element === undefined ? undefined : placeOfElement(n.id, n.element));
    const current = n.element === undefined ? undefined : await reread(ctx, n.id, base);
    return { ...base, ...(value ? { value } : {}), ...(current ? { current } : {}) };
  } catch {
    // the key cannot be read now (I/O, damaged blob): still report that it was written
    return base;
  }
}

/**
 * The Meta a notice reports. A notice with `lastWrite` carries the meta bytes of the blob it
 * deleted (`deleteIfUnlocked`), unchecked by its sender: they must belong under the notice's id,
 * as `keys()` checks a blob it lists (else `ERR_CORRUPT`), so that a blob copied under another
 * key's id never names that key; the deletion's time replaces the blob's.
 */
function metaOfNotice(n: ChangeNotice): Meta {
  const meta = decodeMeta(n.meta, undefined);
  if (n.lastWrite === undefined) return meta;
  checkMetaKey(meta, undefined, n.id);
  return { ...meta, lastWrite: new Date(n.lastWrite) };
}

/** Reads a blob (a log element at `place`) and returns a decoder of fresh copies, or `undefined` when the blob is gone. */
async function reread(ctx: StoreContext, id: string, r: ChangeRecord, place?: string): Promise<(() => unknown) | undefined> {
  const blob: StoredBlob | undefined = await runFlow(readBlob(ctx, id, r.key));
  if (blob === undefined) return undefined;
  // decoded once here, so a value that cannot decode is found before the event is emitted
  const fresh = await valueReader(ctx, blob, keyRef(r.key), place);
  let first: { v: unknown } | undefined = { v: fresh() };
  return () => {
    const v = first ? first.v : fresh();
    first = undefined;
    return v;
  };
}
