/**
 * The wire form of a {@link ChangeNotice}, for backings that carry notices between processes
 * (Redis pub/sub, the fs change journal): UTF-8 JSON `{ v: 1, origin, op, id, meta, deleted,
 * path?, element?, lastWrite? }` with `meta` (CBOR bytes) in base64. JSON stays readable in a terminal; the
 * Meta stays exact. `origin` names the backing instance that announced it, so a receiver can
 * skip its own.
 */
import { fromBase64, toBase64, utf8Encode } from '#platform';
import type { ChangeNotice, DeletionNotice } from '../backing';
import type { WriteOp } from '../model';

/** The notice format version; notices of another version are ignored by {@link decodeChangeNotice}. */
const VERSION = 1;

const OPS = new Set<string>(['assoc', 'assocIn', 'update', 'updateIn', 'dissoc', 'bassoc', 'append', 'multiAssoc', 'multiDissoc']);
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes a notice announced by the backing instance `origin`.
 * @param origin - an id of the announcing instance, unique among the instances sharing the data
 * @param notice - the notice core handed to `announce`
 * @returns the UTF-8 JSON bytes
 */
export function encodeChangeNotice(origin: string, notice: ChangeNotice): Uint8Array {
  return utf8Encode(noticeJson(origin, notice, toBase64(notice.meta)));
}

/** The meta field with an empty value, as {@link noticeJson} writes it: what {@link encodeChangeNoticeAround} splits at. */
const EMPTY_META = ',"meta":""';

/**
 * Encodes a notice whose meta the backing fills in where the data lives (a server-side script of
 * `deleteIfUnlocked`, which takes it from the blob it deletes): the encoded notice is
 * `before`, then the base64 (RFC 4648, with padding) of the meta bytes, then `after`.
 * @param origin - an id of the announcing instance, as for {@link encodeChangeNotice}
 * @param notice - the notice core handed to `deleteIfUnlocked`
 * @returns the UTF-8 JSON bytes before and after the meta's base64
 */
export function encodeChangeNoticeAround(origin: string, notice: DeletionNotice): { before: Uint8Array; after: Uint8Array } {
  const json = noticeJson(origin, notice, '');
  // the first match is the field: inside a JSON string every `"` is escaped
  const at = json.indexOf(EMPTY_META) + EMPTY_META.length - 1;
  return { before: utf8Encode(json.slice(0, at)), after: utf8Encode(json.slice(at)) };
}

/** The text a notice starts with, `v` and `origin`: a backing announces under one origin, so the last one is kept. */
let lastOrigin = '';
let lastHead = '';
function noticeHead(origin: string): string {
  if (origin !== lastOrigin) {
    lastHead = `{"v":${VERSION},"origin":${JSON.stringify(origin)}`;
    lastOrigin = origin;
  }
  return lastHead;
}

/**
 * The JSON text of a notice with `meta` (base64) as given; `v` and `origin` first (see {@link announcedBy}).
 * Written field by field: this runs for every shared write, and concatenating the escaped parts
 * costs about a third of building an object (with its optional spreads) and stringifying it.
 * The text is the same as `JSON.stringify` of `{ v, origin, op, id, meta, deleted, path?, element?, lastWrite? }`.
 */
function noticeJson(origin: string, notice: Omit<ChangeNotice, 'meta'>, meta: string): string {
  let json = `${noticeHead(origin)},"op":${JSON.stringify(notice.op)},"id":${JSON.stringify(notice.id)}`;
  // base64 and a boolean need no escaping
  json += `,"meta":"${meta}","deleted":${notice.deleted ? 'true' : 'false'}`;
  if (notice.path) json += `,"path":${JSON.stringify(notice.path)}`;
  if (notice.element) json += `,"element":${JSON.stringify(notice.element)}`;
  if (notice.lastWrite !== undefined) json += `,"lastWrite":${JSON.stringify(notice.lastWrite)}`;
  return `${json}}`;
}

/**
 * A test for notices announced by `origin` that reads only their first bytes, so a receiver skips
 * its own announcements (every write it shares comes back to it on a pub/sub channel) without
 * decoding them. It relies on {@link encodeChangeNotice} writing `v` and `origin` first.
 * @param origin - the announcing instance's id, as given to `encodeChangeNotice`
 * @returns true for the bytes of a notice of this format version from `origin`
 */
export function announcedBy(origin: string): (bytes: Uint8Array) => boolean {
  const prefix = utf8Encode(`${noticeHead(origin)},`);
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
  const { origin, op, id, meta, deleted, path, element, lastWrite } = m;
  if (typeof origin !== 'string' || typeof op !== 'string' || !OPS.has(op) || typeof id !== 'string') return undefined;
  if (typeof meta !== 'string' || typeof deleted !== 'boolean') return undefined;
  if (path !== undefined && !(Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number'))) return undefined;
  if (element !== undefined && typeof element !== 'string') return undefined;
  if (lastWrite !== undefined && !(typeof lastWrite === 'number' && Number.isFinite(lastWrite))) return undefined;
  const metaBytes = fromBase64(meta);
  const notice: ChangeNotice = {
    op: op as WriteOp,
    id,
    meta: new Uint8Array(metaBytes.buffer, metaBytes.byteOffset, metaBytes.byteLength),
    deleted,
    ...(path ? { path: path as (string | number)[] } : {}),
    ...(element ? { element } : {}),
    ...(lastWrite !== undefined ? { lastWrite } : {}),
  };
  return { origin, notice };
}
