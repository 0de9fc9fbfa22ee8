/** keys, changes and watch: the streaming methods of a Store. */
import { Observable, concatMap, filter, map, of } from 'rxjs';
import { closed } from '../../errors';
import { ownsKeyId, refIn } from '../scope';
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
    // the change bus is shared by a store and its scopes: each hears the writes of its own keys
    changes: () =>
      hot(ctx, 'changes', () =>
        ctx.changes.pipe(
          filter((r) => ownsKeyId(ctx, r.id)),
          map(toWriteEvent),
        ),
      ),
    watch: (key: Key) =>
      hot(ctx, 'watch', () => {
        const ref = refIn(ctx, key);
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
