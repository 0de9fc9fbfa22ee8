/** keys, changes, watch and close: the streaming and lifecycle side of a Store. */
import { Observable, concatMap, filter, map, of } from 'rxjs';
import type { MaybePromise } from '../backing';
import { closed, ioError } from '../errors';
import { isThenable, mapMaybe, runFlow, wait, type Flow } from '../internal/flow';
import { isUserBlobId, keyRef } from '../internal/key';
import type { Key, Meta, Store, WriteEvent } from '../store';
import { io, ioNow, type ChangeRecord, type StoreContext } from './context';
import { operation } from './operation';
import { readMeta } from './read';

type StreamMethods = Pick<Store, 'keys' | 'changes' | 'watch' | 'close'>;

/** The streaming and lifecycle methods of a Store; `get` serves `watch` for re-reads. */
export function streamMethods(ctx: StoreContext, get: Store['get']): StreamMethods {
  let closing: MaybePromise<void> | undefined;
  return {
    keys: () => operation<Meta>(ctx, 'keys', () => ({ run: (emit, stopped) => listKeys(ctx, emit, stopped) })),
    changes: () => hot(ctx, 'changes', () => ctx.changes.pipe(map(toWriteEvent))),
    watch: (key: Key) =>
      hot(ctx, 'watch', () => {
        const ref = keyRef(key);
        return new Observable<unknown>((subscriber) => {
          let live = false;
          // events of writes that committed before the first read are already in its value
          const events = ctx.changes
            .pipe(
              filter((r) => live && r.id === ref.id),
              concatMap((r) => {
                const current = r.current ?? r.value;
                return r.deleted ? of(undefined) : current ? of(current()) : get(ref.key);
              }),
            )
            .subscribe(subscriber);
          const first = get(ref.key).subscribe({
            next: (v) => {
              subscriber.next(v);
              live = true;
            },
            error: (e) => subscriber.error(e),
          });
          return () => {
            first.unsubscribe();
            events.unsubscribe();
          };
        });
      }),
    close: () =>
      new Observable<void>((subscriber) => {
        ctx.life.closed = true;
        closing ??= shutdown(ctx);
        const done = (): void => {
          subscriber.next(undefined);
          subscriber.complete();
        };
        if (isThenable(closing)) closing.then(done, (e: unknown) => subscriber.error(ioError(e)));
        else done();
      }),
  } as StreamMethods;
}

/** A hot stream that refuses to start on a closed store and completes when the store closes. */
function hot<T>(ctx: StoreContext, name: string, make: () => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    if (ctx.life.closed) return subscriber.error(closed(name));
    let source: Observable<T>;
    try {
      source = make();
    } catch (e) {
      return subscriber.error(e);
    }
    return source.subscribe(subscriber);
  });
}

function toWriteEvent(r: ChangeRecord): WriteEvent {
  const event: WriteEvent = { op: r.op, key: r.key, meta: { ...r.meta } };
  if (r.path) event.path = r.path;
  if (r.value) event.value = r.value();
  if (r.old) event.old = r.old();
  return event;
}

/**
 * Metas read at once while listing an asynchronous backing. Each `readMeta` is a round trip
 * (three system calls on fs, a command on Redis): reading ahead overlaps them, while emitting in
 * list order and holding at most this many Metas, so memory stays bounded however many keys.
 */
export const KEYS_READ_AHEAD = 16;

function* listKeys(ctx: StoreContext, emit: (m: Meta) => void, stopped: () => boolean): Flow<void> {
  const list = yield* io(undefined, () => ctx.backing.list());
  if (Symbol.asyncIterator in list) return yield* wait(readAhead(ctx, list, emit, stopped));
  for (const id of list) {
    if (stopped()) return;
    if (!isUserBlobId(id)) continue;
    const meta = yield* readMeta(ctx, id, undefined);
    if (meta !== undefined) emit(meta);
  }
}

async function readAhead(ctx: StoreContext, list: AsyncIterable<string>, emit: (m: Meta) => void, stopped: () => boolean): Promise<void> {
  const it = list[Symbol.asyncIterator]();
  const pending: Array<Promise<Meta | undefined>> = [];
  let listed = false;
  try {
    while (!stopped()) {
      while (!listed && pending.length < KEYS_READ_AHEAD) {
        const next = await ioNow(undefined, () => it.next());
        if (next.done) listed = true;
        else if (isUserBlobId(next.value)) pending.push(settleLater(runFlow(readMeta(ctx, next.value, undefined))));
      }
      const head = pending.shift();
      if (head === undefined) return;
      const meta = await head;
      if (meta !== undefined && !stopped()) emit(meta);
    }
  } finally {
    // reads already started finish before keys() ends, errs or lets close() proceed: nothing of
    // a finished keys() still runs against the backing
    await Promise.allSettled(pending);
    if (it.return) await it.return();
  }
}

/** A promise of `x` whose rejection counts as handled until someone awaits it (it waits its turn in the window). */
function settleLater<T>(x: MaybePromise<T>): Promise<T> {
  const p = Promise.resolve(x);
  p.catch(() => undefined);
  return p;
}

// waits for running operations, then closes the backing and completes the hot streams
function shutdown(ctx: StoreContext): MaybePromise<void> {
  const idle: MaybePromise<void> =
    ctx.life.inflight === 0 ? undefined : new Promise<void>((resolve) => (ctx.life.idle = resolve));
  return mapMaybe(idle, () =>
    mapMaybe(runFlow(closeBacking(ctx)), () => {
      ctx.changes.complete();
    }),
  );
}

function* closeBacking(ctx: StoreContext): Flow<void> {
  const close = ctx.backing.close;
  if (close) yield* io(undefined, () => close.call(ctx.backing));
}
