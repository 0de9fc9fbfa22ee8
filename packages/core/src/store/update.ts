/** The read-modify-write at the heart of update, assocIn and updateIn, run under the key's lock. */
import { invalidArgument } from '../errors';
import { wait, type Flow } from './engine/flow';
import type { KeyRef } from '../format/key';
import { isDeferred } from '../format/value-codec';
import { userMetaOf } from '../format/meta';
import type { Meta, Path, WriteOp } from '../store-api';
import { publish, type StoreContext } from './engine/context';
import { metaOf, readBlob, valueReader } from './read';
import { commit, prepareBlob } from './write';

/** The outcome of a read-modify-write: the top-level values before and after, and the new Meta. */
export interface Updated {
  readonly old: unknown;
  readonly new: unknown;
  readonly meta: Meta;
}

/**
 * Replaces the value of `ref` with `next(fresh)`, where `fresh()` decodes a new private copy of
 * the current value each call (so `next` may mutate what it gets). Keeps the user meta.
 */
export function* updateValue(ctx: StoreContext, ref: KeyRef, op: WriteOp, path: Path | undefined, next: (fresh: () => unknown) => unknown): Flow<Updated> {
  const blob = yield* readBlob(ctx, ref.id, ref.key);
  const oldMeta = blob && metaOf(blob, ref.key);
  if (oldMeta?.type === 'append-log') throw invalidArgument(`${op} cannot change an append log; use append`, ref.key);
  const fresh = blob === undefined ? none : yield* wait(valueReader(ctx, blob, ref));
  const value = next(fresh);
  const bytes = yield* wait(ctx.codec.encode(ref, value));
  const meta = yield* commit(ctx, prepareBlob(ctx, ref.id, ref.key, 'value', bytes, userMetaOf(oldMeta)));
  const decodeNew = (): unknown => ctx.codec.decode(ref, ctx.codec.ids, bytes);
  publish(ctx, { op, key: ref.key, id: ref.id, meta, ...(path ? { path } : {}), value: decodeNew, old: fresh });
  return { old: fresh(), new: value, meta };
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
