/** The read-modify-write at the heart of update, assocIn and updateIn, run under the key's lock. */
import { invalidArgument } from '../errors';
import type { Flow } from './engine/flow';
import type { KeyRef } from '../format/key';
import { isDeferred } from '../format/value-codec';
import { userMetaOf } from '../format/meta';
import type { Meta, Path, UpdateOptions, WriteOp } from '../store-api';
import { checkOptions } from '../internal/check-options';
import { UPDATE_OPTIONS } from './methods/call-options';
import { ttlExpiry } from './expiry';
import { publish, type StoreContext } from './engine/context';
import { decodeValue, metaOf, readBlob } from './read';
import type { Expiry } from './expiry';
import { commit, prepareBlob } from './write';

/** The outcome of a read-modify-write: the top-level values before and after, and the new Meta. */
export interface Updated {
  readonly old: unknown;
  readonly new: unknown;
  readonly meta: Meta;
}

/**
 * Replaces the value of `ref` with `next(fresh)`, where `fresh()` decodes a new private copy of
 * the current value each call (so `next` may mutate what it gets). Keeps the user meta, and the
 * expiry unless `expiry` sets a new one (an expired value reads as missing, so nothing of it is kept).
 */
export function* updateValue(
  ctx: StoreContext,
  ref: KeyRef,
  op: WriteOp,
  path: Path | undefined,
  next: (fresh: () => unknown) => unknown,
  expiry?: Expiry,
): Flow<Updated> {
  const blob = yield* readBlob(ctx, ref.id, ref.key);
  const oldMeta = blob && metaOf(blob, ref.key);
  if (oldMeta?.type === 'append-log') throw invalidArgument(`${op} cannot change an append log; use append`, ref.key);
  const fresh = (): unknown => (blob === undefined ? undefined : decodeValue(ctx, blob, ref));
  const value = next(fresh);
  const bytes = ctx.codec.encode(ref, value);
  const kept: Expiry = oldMeta?.expiresAt === undefined ? undefined : { expiresAt: oldMeta.expiresAt };
  const meta = yield* commit(ctx, prepareBlob(ctx, ref.id, ref.key, 'value', bytes, userMetaOf(oldMeta), ctx.codec.ids, expiry ?? kept));
  const decodeNew = (): unknown => ctx.codec.decode(ref, ctx.codec.ids, bytes);
  publish(ctx, { op, key: ref.key, id: ref.id, meta, ...(path ? { path } : {}), value: decodeNew, old: fresh });
  return { old: fresh(), new: value, meta };
}

/**
 * Splits the arguments of `update`/`updateIn`, `(fn, ...args)` or `(options, fn, ...args)`, and
 * checks them at subscribe.
 * @returns the function, its extra arguments and the expiry the options ask for; errors with
 *   `ERR_INVALID_ARGUMENT` when the function is missing or an option is unknown or invalid
 */
export function updateArgs(
  op: string,
  rest: readonly unknown[],
  key: unknown,
): { fn: (old: unknown, ...args: unknown[]) => unknown; args: unknown[]; expiry: Expiry } {
  const [first, ...more] = rest;
  if (typeof first === 'function') return { fn: first as (old: unknown, ...args: unknown[]) => unknown, args: more, expiry: undefined };
  if (first === null || typeof first !== 'object') requireFunction(op, first, key);
  checkOptions(op, first, UPDATE_OPTIONS);
  const [fn, ...args] = more;
  requireFunction(op, fn, key);
  return { fn: fn as (old: unknown, ...args: unknown[]) => unknown, args, expiry: ttlExpiry(op, (first as UpdateOptions).ttl, key) };
}

/**
 * Checks, at subscribe, that a function argument is one.
 * @param op - the method, for the message
 * @param fn - the argument
 * @param key - the key involved
 * @returns nothing; errors with `ERR_INVALID_ARGUMENT` when `fn` is not a function
 */
export function requireFunction(op: string, fn: unknown, key: unknown): void {
  if (typeof fn !== 'function') throw invalidArgument(`${op} takes a function, got ${fn === null ? 'null' : typeof fn}`, key);
}

/**
 * What an update function returned, refused when it is a Promise or Observable: the function runs
 * under the key's lock and its result is written at once, so it must be the new value itself.
 * @returns `value`; errors with `ERR_INVALID_ARGUMENT` otherwise
 */
export function syncResult<T>(op: string, value: T, key: unknown): T {
  if (isDeferred(value))
    throw invalidArgument(`${op} functions are synchronous: this one returned a Promise or Observable (compute the value first, then update)`, key);
  return value;
}
