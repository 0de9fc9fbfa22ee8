/**
 * The payload of a change-log row (docs/postgres.md, "Changes across processes"): core's
 * change-notice JSON (`encodeChangeNotice`, the same message the Redis and fs backends carry).
 */
import { decodeChangeNotice, encodeChangeNotice, type ChangeNotice } from '@konserve-rx/core';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Encodes a notice from the backing instance `origin`. */
export function encodeNotice(origin: string, n: ChangeNotice): string {
  return decoder.decode(encodeChangeNotice(origin, n));
}

/** Decodes a payload; `undefined` when it is not one this version understands. */
export function decodeNotice(payload: string): ChangeNotice | undefined {
  return decodeChangeNotice(encoder.encode(payload))?.notice;
}
