/**
 * The NOTIFY payload of a change (docs/postgres.md, "Change notices"): JSON
 * `{ v: 1, origin, op, id, meta, deleted, path?, element? }` with `meta` in base64, or, for a
 * notice over {@link MAX_NOTIFY_BYTES}, `{ v: 1, origin, ref }` naming its row in the notices table.
 * The same message as the Redis backend's pub/sub one, so both read alike in a debugger.
 */
import type { ChangeNotice, WriteOp } from '@konserve-rx/core';

/** The message format version; messages of another version are ignored. */
const VERSION = 1;

/** NOTIFY payloads must stay under 8000 bytes; larger notices travel through the notices table. */
export const MAX_NOTIFY_BYTES = 7900;

const OPS = new Set<string>(['assoc', 'assocIn', 'update', 'updateIn', 'dissoc', 'bassoc', 'append', 'multiAssoc', 'multiDissoc']);

/** Encodes a notice from the backing instance `origin`. */
export function encodeNotice(origin: string, n: ChangeNotice): string {
  return JSON.stringify({
    v: VERSION,
    origin,
    op: n.op,
    id: n.id,
    meta: Buffer.from(n.meta.buffer, n.meta.byteOffset, n.meta.byteLength).toString('base64'),
    deleted: n.deleted,
    ...(n.path ? { path: n.path } : {}),
    ...(n.element ? { element: n.element } : {}),
  });
}

/** A decoded payload: a notice, or the number of a notices-table row holding one. */
export type Decoded = { origin: string; notice: ChangeNotice } | { origin: string; ref: string };

/** Decodes a payload; `undefined` when it is not one this version understands. */
export function decodeNotice(payload: string): Decoded | undefined {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (m === null || typeof m !== 'object' || m.v !== VERSION || typeof m.origin !== 'string') return undefined;
  if (m.ref !== undefined) return typeof m.ref === 'number' || typeof m.ref === 'string' ? { origin: m.origin, ref: String(m.ref) } : undefined;
  const { op, id, meta, deleted, path, element } = m;
  if (typeof op !== 'string' || !OPS.has(op) || typeof id !== 'string') return undefined;
  if (typeof meta !== 'string' || typeof deleted !== 'boolean') return undefined;
  if (path !== undefined && !(Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number'))) return undefined;
  if (element !== undefined && typeof element !== 'string') return undefined;
  const bytes = Buffer.from(meta, 'base64');
  const notice: ChangeNotice = {
    op: op as WriteOp,
    id,
    meta: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    deleted,
    ...(path ? { path: path as (string | number)[] } : {}),
    ...(element ? { element } : {}),
  };
  return { origin: m.origin, notice };
}
