/** The read-modify-write at the heart of update, assocIn and updateIn, run under the key's lock. */
import { invalidArgument } from '../errors';
import type { Flow } from '../internal/flow';
import type { KeyRef } from '../internal/key';
import { userMetaOf } from '../internal/meta-codec';
import type { Meta, Path, WriteOp } from '../store';
import { publish, type StoreContext } from './context';
import { decodeValue, metaOf, readBlob } from './read';
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
export function* updateValue(
  ctx: StoreContext,
  ref: KeyRef,
  op: WriteOp,
  path: Path | undefined,
  next: (fresh: () => unknown) => unknown,
): Flow<Updated> {
  const blob = yield* readBlob(ctx, ref.id, ref.key);
  const oldMeta = blob && metaOf(blob, ref.key);
  if (oldMeta?.type === 'append-log') throw invalidArgument(`${op} cannot change an append log; use append`, ref.key);
  const fresh = (): unknown => (blob === undefined ? undefined : decodeValue(ctx, blob, ref.key));
  const value = next(fresh);
  const bytes = ctx.codec.encode(ref.key, value);
  const meta = yield* commit(ctx, prepareBlob(ctx, ref.id, ref.key, 'value', bytes, userMetaOf(oldMeta)));
  const decodeNew = (): unknown => ctx.codec.decode(ref.key, ctx.codec.ids, bytes);
  publish(ctx, { op, key: ref.key, id: ref.id, meta, ...(path ? { path } : {}), value: decodeNew, old: fresh });
  return { old: fresh(), new: value, meta };
}
