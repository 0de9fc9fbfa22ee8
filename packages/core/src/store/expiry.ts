/**
 * Expiry: the `ttl` option of writes, the `expiresAt` it becomes, and the test every read makes.
 * A blob that expires is written as format version 3 with `expiresAt` in its Meta; from that
 * instant, by the store's clock, every read treats the key as missing.
 */
import { invalidArgument } from '../errors';
import type { Meta } from '../model';
import type { StoreContext } from './engine/context';

/**
 * How a write sets `Meta.expiresAt`: a time to live counted from the write's `lastWrite`, or the
 * instant kept from the value it replaces (`update` and friends without a `ttl`); `undefined`: never.
 */
export type Expiry = { readonly ttl: number } | { readonly expiresAt: number } | undefined;

/**
 * Checks a write's `ttl` option at subscribe.
 * @param op - the method, for the message
 * @param ttl - the option as given
 * @param key - the key involved, for the error
 * @returns the expiry it asks for; errors with `ERR_INVALID_ARGUMENT` unless `ttl` is absent or a
 *   positive, finite number of milliseconds
 */
export function ttlExpiry(op: string, ttl: unknown, key: unknown): Expiry {
  if (ttl === undefined) return undefined;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) {
    throw invalidArgument(`${op}: ttl is a positive, finite number of milliseconds, got ${typeof ttl === 'number' ? ttl : typeof ttl}`, key);
  }
  return { ttl };
}

/** The `expiresAt` a write made at `lastWrite` records, or `undefined` when it never expires. */
export function expiresAtOf(expiry: Expiry, lastWrite: Date): number | undefined {
  if (expiry === undefined) return undefined;
  return 'ttl' in expiry ? lastWrite.getTime() + expiry.ttl : expiry.expiresAt;
}

/** True when `meta` has expired by the store's clock (a key is missing from its `expiresAt` on). */
export function hasExpired(ctx: Pick<StoreContext, 'now'>, meta: Meta): boolean {
  return isPast(ctx, meta.expiresAt);
}

/** True when `expiresAt` is given and the store's clock has reached it. */
export function isPast(ctx: Pick<StoreContext, 'now'>, expiresAt: number | undefined): boolean {
  return expiresAt !== undefined && expiresAt <= ctx.now();
}
