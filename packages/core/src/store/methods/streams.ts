/** keys, changes and watch: the streaming methods of a Store. */
import { Observable, concatMap, filter, from, of } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { isThenable } from '../../maybe-promise';
import { closed } from '../../errors';
import { keyRef } from '../../format/key';
import type { Key, KeysOptions, Meta, Store, WriteEvent } from '../../store-api';
import type { ChangeRecord, StoreContext } from '../engine/context';
import { damagedPolicy, listKeys } from '../list-keys';
import { operation } from '../engine/operation';

type StreamMethods = Pick<Store, 'keys' | 'changes' | 'watch'>;

/** The streaming methods of a Store; `get` serves `watch` for re-reads. */
export function streamMethods(ctx: StoreContext, get: Store['get']): StreamMethods {
  return {
    keys: (options?: KeysOptions) =>
      operation<Meta>(ctx, 'keys', () => {
        const onDamaged = damagedPolicy(options);
        return { run: (out) => listKeys(ctx, out, onDamaged) };
      }),
    changes: () => hot(ctx, 'changes', () => ctx.changes.pipe(concatMap((r) => fromMaybe(toWriteEvent(r))))),
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
                return r.deleted ? of(undefined) : current ? fromMaybe(current()) : get(ref.key);
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

/**
 * The WriteEvent of a record; a promise of it when a value decodes asynchronously (the record was
 * written with an asynchronous codec), which `changes()` waits for in order.
 */
function toWriteEvent(r: ChangeRecord): MaybePromise<WriteEvent> {
  const event: WriteEvent = { op: r.op, key: r.key, meta: { ...r.meta } };
  if (r.path) event.path = r.path;
  const value = r.value?.();
  const old = r.old?.();
  if (!isThenable(value) && !isThenable(old)) {
    if (r.value) event.value = value;
    if (r.old) event.old = old;
    return event;
  }
  return Promise.all([value, old]).then(([v, o]) => {
    if (r.value) event.value = v;
    if (r.old) event.old = o;
    return event;
  });
}

/** An Observable of a value or of what a promise of it resolves to; synchronous for a value. */
function fromMaybe<T>(x: MaybePromise<T>): Observable<T> {
  return isThenable<T>(x) ? from(x) : of(x);
}
