/**
 * The NOTIFY payload of a change (docs/postgres.md, "Change notices"): core's change-notice JSON
 * (`encodeChangeNotice`, the same message the Redis and fs backends carry), or, for a notice over
 * {@link MAX_NOTIFY_BYTES}, `{ v: 1, origin, ref }` naming its row in the notices table.
 */
import { decodeChangeNotice, encodeChangeNotice, type ChangeNotice } from '@konserve-rx/core';

/** NOTIFY payloads must stay under 8000 bytes; larger notices travel through the notices table. */
export const MAX_NOTIFY_BYTES = 7900;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Encodes a notice from the backing instance `origin`. */
export function encodeNotice(origin: string, n: ChangeNotice): string {
  return decoder.decode(encodeChangeNotice(origin, n));
}

/**
 * A test for payloads sent by the backing instance `origin` itself, made without decoding them:
 * every notice a backing sends also reaches its own listener, so this runs once per write. It
 * relies on {@link encodeNotice} writing `v` and `origin` first; a payload it does not recognise
 * (a large notice's reference, another format) is decoded in full, which drops own notices too.
 */
export function isOwnPayload(origin: string): (payload: string) => boolean {
  const prefix = `{"v":1,"origin":${JSON.stringify(origin)},`;
  return (payload) => payload.startsWith(prefix);
}

/** A decoded payload: a notice, or the number of a notices-table row holding one. */
export type Decoded = { origin: string; notice: ChangeNotice } | { origin: string; ref: string };

/** Decodes a payload; `undefined` when it is not one this version understands. */
export function decodeNotice(payload: string): Decoded | undefined {
  // a reference to a large notice is the only payload that is not a notice itself
  if (payload.includes('"ref"')) {
    try {
      const m = JSON.parse(payload) as Record<string, unknown>;
      if (m?.v === 1 && typeof m.origin === 'string' && (typeof m.ref === 'number' || typeof m.ref === 'string'))
        return { origin: m.origin, ref: String(m.ref) };
    } catch {
      return undefined;
    }
  }
  return decodeChangeNotice(encoder.encode(payload));
}
