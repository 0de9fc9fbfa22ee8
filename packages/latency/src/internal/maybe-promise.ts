/** Helpers for `MaybePromise` values: stay synchronous when the inner backing is. */
import type { MaybePromise } from '@konserve-rx/core';

/** True when `value` is a promise or another thenable. */
export function isPromiseLike<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** Applies `fn` to the value now, or when the promise resolves. */
export function thenMaybe<T, R>(value: MaybePromise<T>, fn: (v: T) => R): MaybePromise<R> {
  return isPromiseLike(value) ? value.then(fn) : fn(value);
}
