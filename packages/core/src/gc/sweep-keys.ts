/**
 * One batch of a sweep over user keys: pick the candidates without locks (old enough, not kept),
 * then, under the candidates' write locks, read each Meta again and delete only those still old
 * enough. A write that committed after the first look is seen by the second, and a write queued
 * behind the sweep's locks runs after the delete, so a key written after the cutoff survives.
 */
import { lastValueFrom, type Observable } from 'rxjs';
import { isKonserveError } from '../errors';
import type { Flow } from '../store/engine/flow';
import { keyRef, type KeyRef } from '../format/key';
import type { Key, Meta } from '../model';
import type { StoreContext } from '../store/engine/context';
import { dissocAll } from '../store/dissoc';
import { operation } from '../store/engine/operation';
import { readStoredMeta } from '../store/read';

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
    *run(out) {
      const found: string[] = [];
      for (const id of ids) {
        const meta = yield* metaIfReadable(ctx, id);
        if (meta !== undefined && collectable(meta)) found.push(id);
      }
      out.emit(found);
    },
  }));
}

function remove(ctx: StoreContext, ids: readonly string[], collectable: Collectable): Observable<Key[]> {
  return operation<Key[]>(ctx, 'sweep', () => ({
    ids,
    *run(out) {
      const refs: KeyRef[] = [];
      for (const id of ids) {
        const meta = yield* metaIfReadable(ctx, id);
        // the listed id itself: a key recorded with a lone surrogate no longer hashes to it
        if (meta !== undefined && collectable(meta)) refs.push({ ...keyRef(meta.key), id });
      }
      const existed = yield* dissocAll(ctx, refs);
      out.emit(refs.filter((ref) => existed.get(ref.id) !== 'missing').map((ref) => ref.key));
    },
  }));
}

/** The Meta of a blob, or `undefined` when it is missing or too damaged to tell its age (never collected). */
function* metaIfReadable(ctx: StoreContext, id: string): Flow<Meta | undefined> {
  try {
    return yield* readStoredMeta(ctx, id, undefined);
  } catch (e) {
    if (isKonserveError(e, 'ERR_CORRUPT') || isKonserveError(e, 'ERR_FORMAT')) return undefined;
    throw e;
  }
}
