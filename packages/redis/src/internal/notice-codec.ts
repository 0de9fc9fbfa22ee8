/**
 * The pub/sub message of a change (docs/redis.md, "Pub/sub message format"): UTF-8 JSON
 * `{ v: 1, origin, op, id, meta, deleted, path?, element? }` with `meta` in base64. JSON keeps
 * the channel readable with `redis-cli SUBSCRIBE`; the Meta stays exact as CBOR bytes inside.
 */
import type { ChangeNotice, WriteOp } from '@konserve-rx/core';

/** The message format version; messages of another version are ignored. */
const VERSION = 1;

const OPS = new Set<string>(['assoc', 'assocIn', 'update', 'updateIn', 'dissoc', 'bassoc', 'append', 'multiAssoc', 'multiDissoc']);

/** Encodes a notice from the backing instance `origin`. */
export function encodeNotice(origin: string, n: ChangeNotice): Buffer {
  const message = {
    v: VERSION,
    origin,
    op: n.op,
    id: n.id,
    meta: Buffer.from(n.meta.buffer, n.meta.byteOffset, n.meta.byteLength).toString('base64'),
    deleted: n.deleted,
    ...(n.path ? { path: n.path } : {}),
    ...(n.element ? { element: n.element } : {}),
  };
  return Buffer.from(JSON.stringify(message));
}

/** Decodes a message; `undefined` when it is not a notice this version understands. */
export function decodeNotice(message: Buffer): { origin: string; notice: ChangeNotice } | undefined {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(message.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (m === null || typeof m !== 'object' || m.v !== VERSION) return undefined;
  const { origin, op, id, meta, deleted, path, element } = m;
  if (typeof origin !== 'string' || typeof op !== 'string' || !OPS.has(op) || typeof id !== 'string') return undefined;
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
  return { origin, notice };
}
