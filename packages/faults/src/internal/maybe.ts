/** Chaining over values that may or may not be promises, so a synchronous inner backing stays synchronous. */
import type { MaybePromise } from '@konserve-rx/core';

/** True for anything with a `then` method. */
export function isThenable<T>(x: MaybePromise<T>): x is PromiseLike<T> {
  return x !== null && typeof x === 'object' && typeof (x as PromiseLike<T>).then === 'function';
}

/** `f(x)` now when `x` is a plain value, after it resolves otherwise. */
export function thenMaybe<T, R>(x: MaybePromise<T>, f: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isThenable(x) ? Promise.resolve(x).then(f) : f(x);
}
