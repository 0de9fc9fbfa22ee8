/**
 * What the adapter stores under each key: `{ value, expires? }`, the value keyv handed over and
 * its expiry time in milliseconds. Keeping the expiry beside the value (not in the key's Meta)
 * makes every read see both from one blob, so a value and its TTL can never be mixed up by a
 * concurrent write.
 */

/** A stored keyv entry. */
export interface Envelope {
  readonly value: unknown;
  readonly expires?: number;
}

/** Wraps a value with its expiry (`ttl` in ms; none, 0 or negative: never expires). */
export function envelope(value: unknown, ttl: number | undefined, now: () => number): Envelope {
  return typeof ttl === 'number' && ttl > 0 && Number.isFinite(ttl) ? { value, expires: now() + ttl } : { value };
}

/** The value of a stored entry, or `undefined` when it is missing, expired, or not an entry this adapter wrote. */
export function liveValue(stored: unknown, now: () => number): unknown {
  if (!isEnvelope(stored)) return undefined;
  if (typeof stored.expires === 'number' && now() > stored.expires) return undefined;
  return stored.value;
}

/** Whether a stored entry is present and not expired. */
export function isLive(stored: unknown, now: () => number): boolean {
  return isEnvelope(stored) && !(typeof stored.expires === 'number' && now() > stored.expires);
}

function isEnvelope(x: unknown): x is Envelope {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.prototype.hasOwnProperty.call(x, 'value');
}
