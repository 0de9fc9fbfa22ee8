/**
 * A change-log row's columns (docs/postgres.md, "Changes across processes"): a notice as `op`,
 * `id`, `meta` (its CBOR bytes as a `bytea`) and `detail`, a JSON object of the fields an `assoc`
 * does not have (`deleted`, `path`, `element`), null when it has none. Columns, not core's
 * change-notice JSON: a shared write then encodes nothing (the id and meta go as they are), and the
 * row is smaller.
 */
import type { ChangeNotice, WriteOp } from '@konserve-rx/core';

/** The columns of a change after its origin, in the order the statements take them: op, id, meta, detail. */
export type NoticeValues = [op: WriteOp, id: string, meta: Buffer, detail: string | null];

/** A row of the log as a reader gets it (`meta` parsed into bytes by node-postgres). */
export interface NoticeRow {
  readonly op: string;
  readonly id: string;
  readonly meta: Buffer;
  readonly detail: string | null;
}

/** The ops this version knows: a row of another (a newer writer's) is skipped. */
const OPS: Readonly<Record<WriteOp, true>> = {
  assoc: true,
  assocIn: true,
  update: true,
  updateIn: true,
  dissoc: true,
  bassoc: true,
  append: true,
  multiAssoc: true,
  multiDissoc: true,
};

/** The columns of notice `n`. */
export function noticeValues(n: ChangeNotice): NoticeValues {
  const detail = n.deleted || n.path !== undefined || n.element !== undefined ? JSON.stringify({ deleted: n.deleted, path: n.path, element: n.element }) : null;
  return [n.op, n.id, Buffer.from(n.meta.buffer, n.meta.byteOffset, n.meta.byteLength), detail];
}

/** The notice of a row; `undefined` when it is not one this version understands. */
export function rowNotice(row: NoticeRow): ChangeNotice | undefined {
  if (!Object.hasOwn(OPS, row.op)) return undefined;
  const notice: { -readonly [F in keyof ChangeNotice]: ChangeNotice[F] } = {
    op: row.op as WriteOp,
    id: row.id,
    meta: new Uint8Array(row.meta.buffer, row.meta.byteOffset, row.meta.byteLength),
    deleted: false,
  };
  if (row.detail === null) return notice;
  let d: unknown;
  try {
    d = JSON.parse(row.detail);
  } catch {
    return undefined;
  }
  if (d === null || typeof d !== 'object') return undefined;
  const { deleted = false, path, element } = d as Record<string, unknown>;
  if (typeof deleted !== 'boolean') return undefined;
  if (path !== undefined && !(Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number'))) return undefined;
  if (element !== undefined && typeof element !== 'string') return undefined;
  notice.deleted = deleted;
  if (path !== undefined) notice.path = path as (string | number)[];
  if (element !== undefined) notice.element = element;
  return notice;
}
