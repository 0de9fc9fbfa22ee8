/** clear and count: operations over every key of a store. */
import { bufferCount, concatMap, defer, map, reduce, type Observable } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { isKonserveError } from '../../errors';
import { canExpire, prefixVersion, VERSION_PREFIX_LENGTH } from '../../format/blob';
import { isThenable, runFlow, wait, type Flow } from '../engine/flow';
import { KEYS_READ_AHEAD } from '../list-keys';
import { readMeta } from '../read';
import type { Key, Store } from '../../store-api';
import { io, ioThen, type StoreContext } from '../engine/context';
import { commitAll } from '../write';
import { operation } from '../engine/operation';
import { listScope, ownsKeyId } from '../scope';

type WholeStoreMethods = Pick<Store, 'clear' | 'count'>;

/** How many keys one `multiDissoc` of `clear()` removes: a batch locks and deletes them together. */
export const CLEAR_BATCH = 256;

/**
 * The whole-store methods. `clear` lists the keys and removes them batch by batch through
 * `multiDissoc`, so it takes the same locks and publishes the same events as removing them by
 * hand; `count` counts the key blobs of the store's scope, reading the meta only of those that can expire.
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
          if (Symbol.asyncIterator in list) return out.emit(yield* wait(countAsync(ctx, list)));
          let n = 0;
          for (const id of list) {
            if (!ownsKeyId(ctx, id)) continue;
            // inlined (not `yield* counts`): a backing answering at once counts a blob without a generator
            let says = headSays(ctx, id);
            if (isThenable<boolean | 'meta'>(says)) says = (yield says) as boolean | 'meta';
            if (says === 'meta' ? yield* liveMeta(ctx, id) : says) n++;
          }
          out.emit(n);
        },
      })),
  } as WholeStoreMethods;
}

/** Counts an asynchronous listing, reading up to {@link KEYS_READ_AHEAD} heads at once. */
async function countAsync(ctx: StoreContext, list: AsyncIterable<string>): Promise<number> {
  let n = 0;
  let batch: string[] = [];
  const settle = async (): Promise<void> => {
    // every read of the batch ends before count() does, also when one fails
    const results = await Promise.allSettled(batch.map((id) => runFlow(counts(ctx, id))));
    batch = [];
    for (const r of results) {
      if (r.status === 'rejected') throw r.reason;
      if (r.value) n++;
    }
  };
  for await (const id of list) {
    if (!ownsKeyId(ctx, id)) continue;
    batch.push(id);
    if (batch.length === KEYS_READ_AHEAD) await settle();
  }
  await settle();
  return n;
}

/**
 * Whether a listed blob counts as a key. Only a blob of the expiring format version can have
 * expired, so the rest count from their version byte alone, unchecked (as a listing counts them);
 * an expiring one counts while its meta says it is live, or when its head is damaged (it holds a key).
 */
function* counts(ctx: StoreContext, id: string): Flow<boolean> {
  const says = yield* wait(headSays(ctx, id));
  return says === 'meta' ? yield* liveMeta(ctx, id) : says;
}

/** What a blob's first bytes say: missing (false), a key (true), or one that may have expired ('meta'). */
function headSays(ctx: StoreContext, id: string): MaybePromise<boolean | 'meta'> {
  const { backing } = ctx;
  return ioThen(undefined, () => (backing.readHead === undefined ? backing.read(id) : backing.readHead(id, VERSION_PREFIX_LENGTH)), byVersion);
}

/** Whether an expiring blob is live; a damaged one holds a key, and counts. */
function* liveMeta(ctx: StoreContext, id: string): Flow<boolean> {
  try {
    return (yield* readMeta(ctx, id, undefined)) !== undefined;
  } catch (e) {
    if (isKonserveError(e, 'ERR_CORRUPT') || isKonserveError(e, 'ERR_FORMAT')) return true;
    throw e;
  }
}

function byVersion(head: Uint8Array | undefined): boolean | 'meta' {
  if (head === undefined) return false;
  const version = prefixVersion(head);
  return version !== undefined && canExpire(version) ? 'meta' : true;
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
