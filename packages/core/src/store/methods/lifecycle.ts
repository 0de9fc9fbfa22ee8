/** close: the end of a Store's life. */
import { Observable } from 'rxjs';
import type { MaybePromise } from '../../backing';
import { ioError } from '../../errors';
import type { Store } from '../../store-api';
import { io, type StoreContext } from '../engine/context';
import { isThenable, mapMaybe, runFlow, type Flow } from '../engine/flow';

type LifecycleMethods = Pick<Store, 'close'>;

/**
 * `close` of a Store: refuses new operations at once, waits for running ones, then closes the
 * backing. A scope is a view of its store: closing any scope closes the store and every scope.
 */
export function lifecycleMethods(ctx: StoreContext): LifecycleMethods {
  return {
    close: () =>
      new Observable<void>((subscriber) => {
        ctx.life.closed = true;
        // one shutdown per store, whichever of its scopes asks first
        const closing = (ctx.life.closing ??= shutdown(ctx));
        const done = (): void => {
          subscriber.next(undefined);
          subscriber.complete();
        };
        if (isThenable(closing)) closing.then(done, (e: unknown) => subscriber.error(ioError(e)));
        else done();
      }),
  };
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
