/** keys, changes and watch: the streaming methods of a Store. */
import { Observable, Subscription, concatMap, filter, map, of, type SchedulerAction } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { fromMaybe, isThenable } from '../../maybe-promise';
import { closed } from '../../errors';
import type { KeyRef } from '../../format/key';
import { blobExpiresAt, decodeValue, readBlob } from '../read';
import { ownsKeyId, refIn } from '../scope';
import type { Key, KeysOptions, Meta, Store, WriteEvent } from '../../store-api';
import type { ChangeRecord, StoreContext } from '../engine/context';
import { damagedPolicy, listKeys } from '../list-keys';
import { wait } from '../engine/flow';
import { operation } from '../engine/operation';

type StreamMethods = Pick<Store, 'keys' | 'changes' | 'watch'>;

/** The streaming methods of a Store. */
export function streamMethods(ctx: StoreContext): StreamMethods {
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
          concatMap((r) => fromMaybe(toWriteEvent(r))),
        ),
      ),
    watch: (key: Key) =>
      hot(ctx, 'watch', () => {
        const ref = refIn(ctx, key);
        return new Observable<unknown>((subscriber) => {
          let live = false;
          // one timer at a time: the expiry of the value emitted last, which then emits `undefined`
          let timer: Subscription | undefined;
          const emit = (v: Watched): void => {
            timer?.unsubscribe();
            subscriber.next(v.value);
            timer = v.expiresAt === undefined ? undefined : expiryTimer(ctx, v.expiresAt, () => subscriber.next(undefined));
          };
          // events of writes that committed before the first read are already in its value
          const events = ctx.changes
            .pipe(
              filter((r) => live && r.id === ref.id),
              concatMap((r) => {
                const current = r.current ?? r.value;
                if (r.deleted) return of(MISSING);
                return current ? fromMaybe(current()).pipe(map((value) => ({ value, expiresAt: r.meta.expiresAt }))) : watched(ctx, ref);
              }),
            )
            .subscribe({ next: emit, error: (e) => subscriber.error(e), complete: () => subscriber.complete() });
          const first = watched(ctx, ref).subscribe({
            next: (v) => {
              emit(v);
              live = true;
            },
            error: (e) => subscriber.error(e),
          });
          return () => {
            first.unsubscribe();
            events.unsubscribe();
            timer?.unsubscribe();
          };
        });
      }),
  } as StreamMethods;
}

/** What `watch` emits, with the instant it stops being true. */
interface Watched {
  readonly value: unknown;
  readonly expiresAt?: number | undefined;
}

const MISSING: Watched = { value: undefined };

/** Reads the watched key's value and expiry, as `get` does (an expired key reads as missing). */
function watched(ctx: StoreContext, ref: KeyRef): Observable<Watched> {
  return operation<Watched>(ctx, 'watch', () => ({
    ids: ref.ids,
    mode: 'read',
    *run(out) {
      const blob = yield* readBlob(ctx, ref.id, ref.key);
      if (blob === undefined) return out.emit(MISSING);
      out.emit({ value: yield* wait(decodeValue(ctx, blob, ref)), expiresAt: blobExpiresAt(blob, ref.key) });
    },
  }));
}

/**
 * Calls `expired` once the store's clock reaches `expiresAt`, on the store's scheduler. A timer
 * that fires early by the store's clock (the clock and the scheduler may differ) waits again.
 */
function expiryTimer(ctx: StoreContext, expiresAt: number, expired: () => void): Subscription {
  return ctx.scheduler.schedule(
    function (this: SchedulerAction<undefined>) {
      const left = expiresAt - ctx.now();
      if (left > 0) this.schedule(undefined, left);
      else expired();
    },
    Math.max(0, expiresAt - ctx.now()),
  );
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
