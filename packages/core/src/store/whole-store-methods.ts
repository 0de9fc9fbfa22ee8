/** clear and count: operations over every key of a store. */
import { bufferCount, concatMap, defer, reduce, type Observable } from 'rxjs';
import { wait } from '../internal/flow';
import { isUserBlobId } from '../internal/key';
import type { Key, Store } from '../store';
import { io, type StoreContext } from './context';
import { operation } from './operation';

type WholeStoreMethods = Pick<Store, 'clear' | 'count'>;

/** How many keys one `multiDissoc` of `clear()` removes: a batch locks and deletes them together. */
export const CLEAR_BATCH = 256;

/**
 * The whole-store methods. `clear` lists the keys and removes them batch by batch through
 * `multiDissoc`, so it takes the same locks and publishes the same events as removing them by
 * hand; `count` counts the backing's key blobs without reading one.
 */
export function wholeStoreMethods(ctx: StoreContext, keys: Store['keys'], multiDissoc: Store['multiDissoc']): WholeStoreMethods {
  return {
    clear: (): Observable<number> =>
      defer(() =>
        keys().pipe(
          bufferCount(CLEAR_BATCH),
          concatMap((batch) => multiDissoc(batch.map((meta) => meta.key as Key))),
          reduce((removed, result) => removed + [...result.values()].filter(Boolean).length, 0),
        ),
      ),
    count: () =>
      operation<number>(ctx, 'count', () => ({
        *run(emit) {
          const list = yield* io(undefined, () => ctx.backing.list());
          emit(yield* wait(countUserIds(list)));
        },
      })),
  } as WholeStoreMethods;
}

function countUserIds(list: Iterable<string> | AsyncIterable<string>): number | Promise<number> {
  if (Symbol.asyncIterator in list) return countAsync(list);
  let n = 0;
  for (const id of list) if (isUserBlobId(id)) n++;
  return n;
}

async function countAsync(list: AsyncIterable<string>): Promise<number> {
  let n = 0;
  for await (const id of list) if (isUserBlobId(id)) n++;
  return n;
}

