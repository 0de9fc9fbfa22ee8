/**
 * The one place every Store operation goes through: cold Observables that check the lifecycle,
 * prepare synchronously at subscribe (validation, encoding: so later mutation of arguments
 * cannot change what is written), take the per-key locks in subscription order, run the plan's
 * flow, and never leave a started write half-done when the subscriber leaves.
 */
import { Observable } from 'rxjs';
import { closed } from '../../errors';
import type { StoreContext } from './context';
import type { Plan } from './plan';
import { Run } from './run';

/** A cold Observable running `prepare()` at subscribe time and the plan it returns under its locks. */
export function operation<T>(ctx: StoreContext, name: string, prepare: () => Plan<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    if (ctx.life.closed) return subscriber.error(closed(name));
    let plan: Plan<T>;
    try {
      plan = prepare();
    } catch (e) {
      return subscriber.error(e);
    }
    return new Run(ctx, subscriber, plan).start();
  });
}
