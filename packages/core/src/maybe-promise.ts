/**
 * Composing `MaybePromise` values without giving up synchronous answers: when a backing answers
 * at once (memory), core, and any wrapper around it, must too, or Stores over it lose
 * `syncResults`. Exported for backing wrappers (cache, faults, latency use these).
 */
import { from, of, type Observable } from 'rxjs';
import type { MaybePromise } from './backing';

/**
 * True for promises and any other thenable.
 * @param x - anything
 * @returns whether `x` has a `then` method
 */
export function isThenable<T>(x: unknown): x is PromiseLike<T> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as PromiseLike<T>).then === 'function';
}

/**
 * Applies `f` to a value or to what a promise of it resolves to; synchronous when `x` is a value.
 * @param x - a value or a promise of one
 * @param f - what to do with the value
 * @returns `f`'s result, or a promise of it
 */
export function mapMaybe<A, B>(x: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return isThenable<A>(x) ? Promise.resolve(x).then(f) : f(x);
}

/**
 * Runs `call`, then `ok` with its result or `fail` with its error (thrown or rejected);
 * synchronous when `call` answers at once. Errors thrown by `ok` are not passed to `fail`.
 * @param call - the step that may fail
 * @param ok - what follows a success
 * @param fail - what follows a failure of `call`
 * @returns the result of `ok` or `fail`, or a promise of it
 */
export function attemptMaybe<A, B>(call: () => MaybePromise<A>, ok: (a: A) => MaybePromise<B>, fail: (e: unknown) => MaybePromise<B>): MaybePromise<B> {
  let x: MaybePromise<A>;
  try {
    x = call();
  } catch (e) {
    return fail(e);
  }
  return isThenable<A>(x) ? Promise.resolve(x).then(ok, fail) : ok(x);
}

/**
 * An Observable of a value or of what a promise of it resolves to: synchronous for a value, and
 * never iterating a plain value as `from` would.
 */
export function fromMaybe<T>(x: MaybePromise<T>): Observable<T> {
  return isThenable<T>(x) ? from(x) : of(x);
}
