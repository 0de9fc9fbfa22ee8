/**
 * Composing `MaybePromise` results without giving up synchronous answers: when the inner backing
 * answers at once (memory), a wrapper must too, or Stores over it lose `syncResults`.
 */
import type { MaybePromise } from '@konserve-rx/core';

/** True for promises and other thenables. */
export function isThenable<T>(x: unknown): x is PromiseLike<T> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Runs `call`, then `ok` with its result or `fail` with its error; synchronous when `call` is.
 * Errors thrown by `ok` are not passed to `fail`: `fail` only sees failures of `call`.
 */
export function attempt<A, B>(call: () => MaybePromise<A>, ok: (a: A) => MaybePromise<B>, fail: (e: unknown) => MaybePromise<B>): MaybePromise<B> {
  let x: MaybePromise<A>;
  try {
    x = call();
  } catch (e) {
    return fail(e);
  }
  return isThenable<A>(x) ? Promise.resolve(x).then(ok, fail) : ok(x);
}

/** Applies `f` to a value or a promise of it; synchronous when `x` is. */
export function chain<A, B>(x: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return isThenable<A>(x) ? Promise.resolve(x).then(f) : f(x);
}

/** Re-throws `e`: lets `attempt` callers fail after cleanup in an expression. */
export function rethrow(e: unknown): never {
  throw e;
}
