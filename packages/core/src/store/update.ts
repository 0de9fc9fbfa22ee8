/** The read-modify-write at the heart of update, assocIn and updateIn, run under the key's lock. */
import { invalidArgument } from '../errors';
import { wait, type Flow } from './engine/flow';
import type { KeyRef } from '../format/key';
import { isDeferred } from '../format/value-codec';
import { userMetaOf } from '../format/meta';
import { checkOptions } from '../internal/check-options';
import type { Meta, MetaFn, Path, UpdateOptions, UpdateSpec, UserMeta, WriteOp } from '../store-api';
import { UPDATE_OPTIONS } from './methods/call-options';
import { publish, type StoreContext } from './engine/context';
import { metaOf, readBlob, valueReader } from './read';
import { ttlExpiry, type Expiry } from './expiry';
import { commit, prepareBlob } from './write';

/** The outcome of a read-modify-write: the top-level values before (decoded on demand) and after, and the new Meta. */
export interface Updated {
  /**
   * Decodes a new private copy of the value before the write (`undefined` when there was none). A
   * function: `updateIn` reports the old value at its path instead, and decoding the whole value
   * for nothing cost it a fifth of its time.
   */
  readonly readOld: () => unknown;
  readonly new: unknown;
  readonly meta: Meta;
}

/**
 * Replaces the value of `ref` with `next(fresh)`, where `fresh()` decodes a new private copy of
 * the current value each call (so `next` may mutate what it gets). The user meta becomes what
 * `change.meta` makes of the old Meta, or stays as it was without one; the expiry is kept unless
 * `change.expiry` sets a new one (an expired value reads as missing, so nothing of it is kept).
 */
export function* updateValue(
  ctx: StoreContext,
  ref: KeyRef,
  op: WriteOp,
  path: Path | undefined,
  next: (fresh: () => unknown) => unknown,
  change: UpdateChange = {},
): Flow<Updated> {
  const blob = yield* readBlob(ctx, ref.id, ref.key);
  const oldMeta = blob && metaOf(blob, ref.key);
  if (oldMeta?.type === 'append-log') throw invalidArgument(`${op} cannot change an append log; use append`, ref.key);
  const fresh = blob === undefined ? none : yield* wait(valueReader(ctx, blob, ref));
  const value = next(fresh);
  const bytes = yield* wait(ctx.codec.encode(ref, value));
  const kept: Expiry = oldMeta?.expiresAt === undefined ? undefined : { expiresAt: oldMeta.expiresAt };
  const user = change.meta === undefined ? userMetaOf(oldMeta) : newUserMeta(op, change.meta, oldMeta, ref.key);
  const meta = yield* commit(ctx, prepareBlob(ctx, ref.id, ref.key, 'value', bytes, user, ctx.codec.ids, change.expiry ?? kept));
  const decodeNew = (): unknown => ctx.codec.decode(ref, ctx.codec.ids, bytes);
  publish(ctx, { op, key: ref.key, id: ref.id, meta, ...(path ? { path } : {}), value: decodeNew, old: fresh });
  return { readOld: fresh, new: value, meta };
}

/** What `metaFn` returns for the old Meta: an object or `undefined`, else `ERR_INVALID_ARGUMENT`. */
function newUserMeta(op: WriteOp, metaFn: MetaFn, old: Meta | undefined, key: unknown): UserMeta | undefined {
  const user = syncResult(op, metaFn(old === undefined ? undefined : { ...old }), key);
  if (user !== undefined && (user === null || typeof user !== 'object' || Array.isArray(user))) {
    throw invalidArgument(`${op}: the meta function returns an object of user metadata or undefined, got ${user === null ? 'null' : typeof user}`, key);
  }
  return user;
}

/**
 * The function and options of `update`/`updateIn`, whose `fn` argument is a function or an
 * {@link UpdateSpec}; checked at subscribe.
 * @returns the function and its options; errors with `ERR_INVALID_ARGUMENT` on anything else
 */
export function updateArgs(op: string, fn: unknown, key: unknown): { fn: (old: unknown, ...args: unknown[]) => unknown; change: UpdateChange } {
  if (typeof fn === 'function') return { fn: fn as (old: unknown, ...args: unknown[]) => unknown, change: {} };
  if (fn === null || typeof fn !== 'object') return requireFunction(op, fn, key) as never;
  const { fn: f, ...options } = fn as UpdateSpec<unknown, unknown[]>;
  requireFunction(op, f, key);
  return { fn: f as (old: unknown, ...args: unknown[]) => unknown, change: updateOptions(op, options, key) };
}

/** What `update`/`updateIn`/`assocIn` options ask of the write: a meta function, an expiry. */
export interface UpdateChange {
  readonly meta?: MetaFn | undefined;
  readonly expiry?: Expiry;
}

/** Checks `update`/`updateIn`/`assocIn` options at subscribe; errors with `ERR_INVALID_ARGUMENT`. */
export function updateOptions(op: string, options: UpdateOptions | undefined, key: unknown): UpdateChange {
  checkOptions(op, options, UPDATE_OPTIONS);
  if (options?.meta !== undefined) requireFunction(`${op} meta`, options.meta, key);
  return { meta: options?.meta, expiry: ttlExpiry(op, options?.ttl, key) };
}

function none(): undefined {
  return undefined;
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
