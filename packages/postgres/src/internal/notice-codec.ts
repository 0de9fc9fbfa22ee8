/**
 * The payload of a change-log row (docs/postgres.md, "Changes across processes"): core's
 * change-notice JSON (`encodeChangeNotice`, the same message the Redis and fs backends carry).
 */
import { decodeChangeNotice, encodeChangeNotice, type ChangeNotice } from '@konserve-rx/core';

const encoder = new TextEncoder();

/**
 * Encodes a notice from the backing instance `origin`, as the UTF-8 bytes of its JSON: node-postgres
 * sends a Buffer parameter in binary format, which for a `text` column is exactly those bytes, so
 * the JSON is never turned into a string and back.
 */
export function encodeNotice(origin: string, n: ChangeNotice): Buffer {
  const bytes = encodeChangeNotice(origin, n);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a payload; `undefined` when it is not one this version understands. */
export function decodeNotice(payload: string): ChangeNotice | undefined {
  return decodeChangeNotice(encoder.encode(payload))?.notice;
}
