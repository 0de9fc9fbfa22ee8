/**
 * What the adapter stores under each key: `{ value }`, the value keyv handed over, with its TTL
 * as the Store's own expiry (`assoc(..., { ttl })`, `Meta.expiresAt`): the Store treats an expired
 * entry as missing everywhere, and Redis drops it natively. Data written by earlier versions of the
 * adapter, `{ value, expires }` with the expiry inside, still reads: such an entry is live until
 * the adapter's clock passes `expires`.
 */
import type { AssocOptions } from '@konserve-rx/core';

/** A stored keyv entry; `expires` only in entries written by earlier versions. */
export interface Envelope {
  readonly value: unknown;
  readonly expires?: number;
}

/** The Store options of a write with keyv's `ttl` (none, 0 or negative: never expires). */
export function ttlOptions(ttl: number | undefined): AssocOptions | undefined {
  return typeof ttl === 'number' && ttl > 0 && Number.isFinite(ttl) ? { ttl } : undefined;
}

/** The value of a stored entry, or `undefined` when it is missing, expired (old layout), or not an entry this adapter wrote. */
export function liveValue(stored: unknown, now: () => number): unknown {
  return isLive(stored, now) ? stored.value : undefined;
}

/** Whether a stored entry is present and, in the old layout, not past its `expires`. */
export function isLive(stored: unknown, now: () => number): stored is Envelope {
  return isEnvelope(stored) && !(typeof stored.expires === 'number' && now() > stored.expires);
}

function isEnvelope(x: unknown): x is Envelope {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.prototype.hasOwnProperty.call(x, 'value');
}
