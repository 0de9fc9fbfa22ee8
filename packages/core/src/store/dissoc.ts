/** Removing keys: the blob, and an append log's element blobs with it. */
import { isKonserveError } from '../errors';
import type { Flow } from './engine/flow';
import type { KeyRef } from '../format/key';
import type { Meta, WriteOp } from '../store-api';
import { logElementIds, logHeadOf, readLogHead } from './append-log';
import { io, publish, type ChangeRecord, type StoreContext } from './engine/context';
import { hasExpired } from './expiry';
import { checkedBlob, metaOfHead, readStoredMeta } from './read';
import { isBlobPrefix } from '../format/blob';
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
    if (!isDamage(e)) throw e;
    return { ids: [ref.id], meta: damagedMeta(ctx, ref), expired: false };
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

/** A blob that cannot be read as its key's (`ERR_CORRUPT`, `ERR_FORMAT`) must still be removable. */
function isDamage(e: unknown): boolean {
  return isKonserveError(e, 'ERR_CORRUPT') || isKonserveError(e, 'ERR_FORMAT');
}

/** The Meta a removed key reports when its blob was damaged: all that is known of it. */
function damagedMeta(ctx: StoreContext, ref: KeyRef): Meta {
  return { key: ref.key, type: 'value', lastWrite: ctx.clock() };
}

/** The change record of a removed key whose blob held `meta`: that Meta, written at `lastWrite`. */
function deletion(op: WriteOp, ref: KeyRef, meta: Meta, lastWrite: Date): ChangeRecord {
  return { op, key: ref.key, id: ref.id, meta: { ...meta, lastWrite }, deleted: true };
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
  publish(ctx, deletion(op, ref, plan.meta, ctx.clock()));
  return true;
}

/**
 * `dissoc` in one step on a multi-process backing that can check its lock with the delete
 * (`deleteIfUnlocked`): the blob goes, and the change is shared, unless another holder has the
 * key's lock or the blob may have expired. The deleted bytes tell what the key was: its Meta for
 * the change record, and an append log's elements, deleted after it (the head went first, as in
 * {@link dissocKey}; a new log at the key draws a new `gen`, so its elements have other ids).
 * @returns whether the key existed; `undefined` when nothing was done: the plan then runs under the lock
 */
export function* dissocUnlocked(ctx: StoreContext, ref: KeyRef, op: WriteOp): Flow<boolean | undefined> {
  const lastWrite = ctx.clock();
  const notice = ctx.announce === undefined ? undefined : { op, id: ref.id, deleted: true, lastWrite: lastWrite.getTime() };
  const bytes = yield* io(ref.key, () => ctx.backing.deleteIfUnlocked!(ref.id, notice));
  if (bytes === false) return undefined;
  if (bytes === undefined) return false;
  const gone = yield* deletedKey(ctx, ref, bytes);
  yield* commitAll(
    ctx,
    gone.elements.map((id) => [id, null] as const),
    ref.key,
  );
  // shared with other instances by the delete itself; this instance's listeners hear it here
  if (ctx.changes.observed) ctx.changes.next(deletion(op, ref, gone.meta, lastWrite));
  return true;
}

/**
 * What the bytes of a key's deleted blob tell: its Meta, read from the header and meta alone as
 * on the locked path (the damaged-blob one when they cannot be read as the key's, as
 * {@link planDissoc} does), and, for an append log, its element blob ids.
 */
function* deletedKey(ctx: StoreContext, ref: KeyRef, bytes: Uint8Array): Flow<{ meta: Meta; elements: string[] }> {
  let meta: Meta;
  try {
    // all a large blob comes back as (BLIND_DELETE_FORMAT.wholeUpTo), and all a delete needs
    meta = metaOfHead(bytes, ref.key, ref.id);
  } catch (e) {
    if (!isDamage(e)) throw e;
    return { meta: damagedMeta(ctx, ref), elements: [] };
  }
  // (an append log's head is far below wholeUpTo: it always comes back whole)
  if (meta.type !== 'append-log' || isBlobPrefix(bytes)) return { meta, elements: [] };
  try {
    return { meta, elements: logElementIds(ref.id, (yield* logHeadOf(ctx, ref, checkedBlob(ctx, bytes, ref.key)!)).head) };
  } catch {
    // the key is gone already: a head this Store cannot decode (damaged, another encryption key)
    // leaves its elements unreachable, as a crash between the two deletes would
    return { meta, elements: [] };
  }
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
  for (const { ref, meta } of gone) publish(ctx, deletion('multiDissoc', ref, meta, lastWrite));
  return existed;
}
