/** clear and count: operations over every key of a store. */
import { bufferCount, concatMap, defer, map, reduce, type Observable } from 'rxjs';
import { wait } from '../engine/flow';
import type { Key, Store } from '../../store-api';
import { io, type StoreContext } from '../engine/context';
import { commitAll } from '../write';
import { operation } from '../engine/operation';
import { listScope, ownsKeyId } from '../scope';

type WholeStoreMethods = Pick<Store, 'clear' | 'count'>;

/** How many keys one `multiDissoc` of `clear()` removes: a batch locks and deletes them together. */
export const CLEAR_BATCH = 256;

/**
 * The whole-store methods. `clear` lists the keys and removes them batch by batch through
 * `multiDissoc`, so it takes the same locks and publishes the same events as removing them by
 * hand; `count` counts the key blobs of the store's scope without reading one.
 */
export function wholeStoreMethods(ctx: StoreContext, keys: Store['keys'], multiDissoc: Store['multiDissoc']): WholeStoreMethods {
  return {
    clear: (): Observable<number> =>
      defer(() => {
        // entries keys() cannot read have no key to dissoc: they go by blob id, after the rest
        const damaged: string[] = [];
        const listed = keys({ onDamaged: (e) => void (e.path !== undefined && damaged.push(e.path)) }).pipe(
          bufferCount(CLEAR_BATCH),
          concatMap((batch) => multiDissoc(batch.map((meta) => meta.key as Key))),
          reduce((removed, result) => removed + [...result.values()].filter(Boolean).length, 0),
        );
        return listed.pipe(concatMap((removed) => deleteBlobs(ctx, damaged).pipe(map((n) => removed + n))));
      }),
    count: () =>
      operation<number>(ctx, 'count', () => ({
        *run(out) {
          const list = yield* io(undefined, () => listScope(ctx));
          out.emit(yield* wait(countOwnIds(list, (id) => ownsKeyId(ctx, id))));
        },
      })),
  } as WholeStoreMethods;
}

function countOwnIds(list: Iterable<string> | AsyncIterable<string>, own: (id: string) => boolean): number | Promise<number> {
  if (Symbol.asyncIterator in list) return countAsync(list, own);
  let n = 0;
  for (const id of list) if (own(id)) n++;
  return n;
}

async function countAsync(list: AsyncIterable<string>, own: (id: string) => boolean): Promise<number> {
  let n = 0;
  for await (const id of list) if (own(id)) n++;
  return n;
}

/** Deletes blobs by id under their write locks (entries whose key cannot be read); emits how many existed. */
function deleteBlobs(ctx: StoreContext, ids: readonly string[]): Observable<number> {
  return operation<number>(ctx, 'clear', () => ({
    ids,
    *run(out) {
      let existed = 0;
      for (const id of ids) if (yield* io(undefined, () => ctx.backing.has(id))) existed++;
      yield* commitAll(
        ctx,
        ids.map((id) => [id, null] as const),
        undefined,
      );
      out.emit(existed);
    },
  }));
}
