/** keys, changes, watch and close: the streaming and lifecycle side of a Store. */
import { Observable, concatMap, filter, map, of } from 'rxjs';
import type { MaybePromise } from '../backing';
import { closed, ioError } from '../errors';
import { isThenable, mapMaybe, runFlow, type Flow } from '../internal/flow';
import { keyRef } from '../internal/key';
import type { Key, KeysOptions, Meta, Store, WriteEvent } from '../store';
import { io, type ChangeRecord, type StoreContext } from './context';
import { damagedPolicy, listKeys } from './list-keys';
import { operation } from './operation';

type StreamMethods = Pick<Store, 'keys' | 'changes' | 'watch' | 'close'>;

/** The streaming and lifecycle methods of a Store; `get` serves `watch` for re-reads. */
export function streamMethods(ctx: StoreContext, get: Store['get']): StreamMethods {
  let closing: MaybePromise<void> | undefined;
  return {
    keys: (options?: KeysOptions) =>
      operation<Meta>(ctx, 'keys', () => {
        const onDamaged = damagedPolicy(options);
        return { run: (emit, stopped, flush) => listKeys(ctx, emit, stopped, (e) => (flush(), onDamaged(e))) };
      }),
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

// waits for running operations, then closes the backing and completes the hot streams
function shutdown(ctx: StoreContext): MaybePromise<void> {
  const idle: MaybePromise<void> = ctx.life.inflight === 0 ? undefined : new Promise<void>((resolve) => (ctx.life.idle = resolve));
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
