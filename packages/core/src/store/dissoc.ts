/** Removing keys: the blob, and an append log's element blobs with it. */
import { isKonserveError } from '../errors';
import type { Flow } from './engine/flow';
import type { KeyRef } from '../format/key';
import type { Meta, WriteOp } from '../store-api';
import { logElementIds, readLogHead } from './append-log';
import { publish, type StoreContext } from './engine/context';
import { hasExpired } from './expiry';
import { readStoredMeta } from './read';
import { commitAll } from './write';

/**
 * What removing a key found: `'deleted'` (it existed), `'expired'` (its blobs were there, but the
 * key was already missing: they go without a change event) or `'missing'`.
 */
export type DissocOutcome = 'deleted' | 'expired' | 'missing';

/**
 * The blobs to delete for a key, the Meta it had, and whether it had expired; `undefined` when
 * there is no blob. An expired key's blobs are deleted too, so removing a key never leaves its bytes.
 */
export function* planDissoc(ctx: StoreContext, ref: KeyRef): Flow<{ ids: string[]; meta: Meta; expired: boolean } | undefined> {
  let meta: Meta | undefined;
  try {
    meta = yield* readStoredMeta(ctx, ref.id, ref.key);
  } catch (e) {
    // a damaged blob must still be removable: delete what is there
    if (!isKonserveError(e, 'ERR_CORRUPT') && !isKonserveError(e, 'ERR_FORMAT')) throw e;
    return { ids: [ref.id], meta: { key: ref.key, type: 'value', lastWrite: ctx.clock() }, expired: false };
  }
  if (meta === undefined) return undefined;
  const expired = hasExpired(ctx, meta);
  // the head goes first, so a crash midway leaves unreachable elements, never a broken log
  const ids = [ref.id];
  if (meta.type === 'append-log') {
    const head = yield* readLogHead(ctx, ref);
    if (head) ids.push(...logElementIds(ref.id, head.head));
  }
  return { ids, meta, expired };
}

/** Deletes one key (with its log elements) and publishes the change; `true` if it existed. */
export function* dissocKey(ctx: StoreContext, ref: KeyRef, op: WriteOp): Flow<boolean> {
  const plan = yield* planDissoc(ctx, ref);
  if (plan === undefined) return false;
  yield* commitAll(
    ctx,
    plan.ids.map((id) => [id, null] as const),
    ref.key,
  );
  if (plan.expired) return false;
  publish(ctx, { op, key: ref.key, id: ref.id, meta: { ...plan.meta, lastWrite: ctx.clock() }, deleted: true });
  return true;
}

/**
 * Deletes several keys in one commit (one batch where the backing has one) and publishes each
 * that existed (not expired) as `multiDissoc`. A key given twice is planned once.
 * @returns for each distinct blob id, what removing its key found
 */
export function* dissocAll(ctx: StoreContext, refs: readonly KeyRef[]): Flow<Map<string, DissocOutcome>> {
  const existed = new Map<string, DissocOutcome>();
  const deletes: Array<readonly [string, null]> = [];
  const gone: Array<{ ref: KeyRef; meta: Meta }> = [];
  for (const ref of refs) {
    if (existed.has(ref.id)) continue;
    const plan = yield* planDissoc(ctx, ref);
    existed.set(ref.id, plan === undefined ? 'missing' : plan.expired ? 'expired' : 'deleted');
    if (plan === undefined) continue;
    for (const id of plan.ids) deletes.push([id, null]);
    if (!plan.expired) gone.push({ ref, meta: plan.meta });
  }
  yield* commitAll(ctx, deletes, refs[0]?.key);
  const lastWrite = ctx.clock();
  for (const { ref, meta } of gone) publish(ctx, { op: 'multiDissoc', key: ref.key, id: ref.id, meta: { ...meta, lastWrite }, deleted: true });
  return existed;
}
