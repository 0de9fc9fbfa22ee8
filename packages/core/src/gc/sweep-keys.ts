/**
 * One batch of a sweep over user keys: pick the candidates without locks (old enough, not kept),
 * then, under the candidates' write locks, read each Meta again and delete only those still old
 * enough. A write that committed after the first look is seen by the second, and a write queued
 * behind the sweep's locks runs after the delete, so a key written after the cutoff survives.
 */
import { lastValueFrom, type Observable } from 'rxjs';
import { isKonserveError } from '../errors';
import type { Flow } from '../store/engine/flow';
import type { KeyRef } from '../format/key';
import type { Key, Meta } from '../store-api';
import { publish, type StoreContext } from '../store/engine/context';
import { planDissoc } from '../store/dissoc';
import { operation } from '../store/engine/operation';
import { readMeta } from '../store/read';
import { commitAll } from '../store/write';

/** Decides whether a key's Meta makes it collectable. */
export type Collectable = (meta: Meta) => boolean;

/** Deletes the collectable keys among `ids` (user blob ids); resolves with the deleted keys. */
export async function sweepKeys(ctx: StoreContext, ids: readonly string[], collectable: Collectable): Promise<Key[]> {
  const candidates = await lastValueFrom(scan(ctx, ids, collectable), { defaultValue: [] });
  if (candidates.length === 0) return [];
  return lastValueFrom(remove(ctx, candidates, collectable), { defaultValue: [] });
}

function scan(ctx: StoreContext, ids: readonly string[], collectable: Collectable): Observable<string[]> {
  return operation<string[]>(ctx, 'sweep', () => ({
    mode: 'read',
    *run(emit) {
      const found: string[] = [];
      for (const id of ids) {
        const meta = yield* metaIfReadable(ctx, id);
        if (meta !== undefined && collectable(meta)) found.push(id);
      }
      emit(found);
    },
  }));
}

function remove(ctx: StoreContext, ids: readonly string[], collectable: Collectable): Observable<Key[]> {
  return operation<Key[]>(ctx, 'sweep', () => ({
    ids,
    *run(emit) {
      const deletes: Array<readonly [string, null]> = [];
      const gone: Array<{ ref: KeyRef; meta: Meta }> = [];
      for (const id of ids) {
        const meta = yield* metaIfReadable(ctx, id);
        if (meta === undefined || !collectable(meta)) continue;
        const ref: KeyRef = { key: meta.key, canonical: '', id };
        const plan = yield* planDissoc(ctx, ref);
        if (plan === undefined) continue;
        deletes.push(...plan.ids.map((blob) => [blob, null] as const));
        gone.push({ ref, meta: plan.meta });
      }
      yield* commitAll(ctx, deletes, gone[0]?.ref.key);
      const lastWrite = ctx.clock();
      for (const { ref, meta } of gone) publish(ctx, { op: 'multiDissoc', key: ref.key, id: ref.id, meta: { ...meta, lastWrite }, deleted: true });
      emit(gone.map((g) => g.ref.key));
    },
  }));
}

/** The Meta of a blob, or `undefined` when it is missing or too damaged to tell its age (never collected). */
function* metaIfReadable(ctx: StoreContext, id: string): Flow<Meta | undefined> {
  try {
    return yield* readMeta(ctx, id, undefined);
  } catch (e) {
    if (isKonserveError(e, 'ERR_CORRUPT') || isKonserveError(e, 'ERR_FORMAT')) return undefined;
    throw e;
  }
}
