/**
 * The wire form of a {@link ChangeNotice}, for backings that carry notices between processes
 * (Redis pub/sub, the fs change journal): UTF-8 JSON `{ v: 1, origin, op, id, meta, deleted,
 * path?, element? }` with `meta` (CBOR bytes) in base64. JSON stays readable in a terminal; the
 * Meta stays exact. `origin` names the backing instance that announced it, so a receiver can
 * skip its own.
 */
import { fromBase64, toBase64 } from '#platform';
import type { ChangeNotice } from '../backing';
import type { WriteOp } from '../model';

/** The notice format version; notices of another version are ignored by {@link decodeChangeNotice}. */
const VERSION = 1;

const OPS = new Set<string>(['assoc', 'assocIn', 'update', 'updateIn', 'dissoc', 'bassoc', 'append', 'multiAssoc', 'multiDissoc']);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes a notice announced by the backing instance `origin`.
 * @param origin - an id of the announcing instance, unique among the instances sharing the data
 * @param notice - the notice core handed to `announce`
 * @returns the UTF-8 JSON bytes
 */
export function encodeChangeNotice(origin: string, notice: ChangeNotice): Uint8Array {
  const { meta } = notice;
  const message = {
    v: VERSION,
    origin,
    op: notice.op,
    id: notice.id,
    meta: toBase64(meta),
    deleted: notice.deleted,
    ...(notice.path ? { path: notice.path } : {}),
    ...(notice.element ? { element: notice.element } : {}),
  };
  return encoder.encode(JSON.stringify(message));
}

/**
 * A test for notices announced by `origin` that reads only their first bytes, so a receiver skips
 * its own announcements (every write it shares comes back to it on a pub/sub channel) without
 * decoding them. It relies on {@link encodeChangeNotice} writing `v` and `origin` first.
 * @param origin - the announcing instance's id, as given to `encodeChangeNotice`
 * @returns true for the bytes of a notice of this format version from `origin`
 */
export function announcedBy(origin: string): (bytes: Uint8Array) => boolean {
  const prefix = encoder.encode(`{"v":${VERSION},"origin":${JSON.stringify(origin)},`);
  return (bytes) => {
    if (bytes.length < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
    return true;
  };
}

/**
 * Decodes bytes made by {@link encodeChangeNotice}.
 * @param bytes - one encoded notice
 * @returns the origin and the notice, or `undefined` when the bytes are not a notice this version understands
 */
export function decodeChangeNotice(bytes: Uint8Array): { origin: string; notice: ChangeNotice } | undefined {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (m === null || typeof m !== 'object' || m.v !== VERSION) return undefined;
  const { origin, op, id, meta, deleted, path, element } = m;
  if (typeof origin !== 'string' || typeof op !== 'string' || !OPS.has(op) || typeof id !== 'string') return undefined;
  if (typeof meta !== 'string' || typeof deleted !== 'boolean') return undefined;
  if (path !== undefined && !(Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number'))) return undefined;
  if (element !== undefined && typeof element !== 'string') return undefined;
  const metaBytes = fromBase64(meta);
  const notice: ChangeNotice = {
    op: op as WriteOp,
    id,
    meta: new Uint8Array(metaBytes.buffer, metaBytes.byteOffset, metaBytes.byteLength),
    deleted,
    ...(path ? { path: path as (string | number)[] } : {}),
    ...(element ? { element } : {}),
  };
  return { origin, notice };
}
