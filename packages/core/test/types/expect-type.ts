/**
 * Tiny compile-time assertions for the type tests (no dependency): each call type-checks only
 * when the types are exactly equal, and does nothing at run time.
 */
import type { Observable } from 'rxjs';

/** `true` when `A` and `B` are the same type (not merely mutually assignable). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** What an Observable type emits; a unique marker for anything else, so that no check passes. */
type Emitted<O> = O extends Observable<infer T> ? T : { readonly notAnObservable: O };

type Check<Actual, Expected> = Equals<Actual, Expected> extends true ? [] : [mismatch: { actual: Actual; expected: Expected }];

/** Assertions about the static type of `value`. */
export interface TypeExpectation<Actual> {
  /** Compiles only when the value's type is exactly `Expected`. */
  toEqualTypeOf<Expected>(...check: Check<Actual, Expected>): void;
  /** Compiles only when the value is an `Observable` of exactly `Expected`. */
  toEmit<Expected>(...check: Check<Emitted<Actual>, Expected>): void;
}

/** Starts a compile-time assertion about the type of `value`. */
export function expectTypeOf<Actual>(value: Actual): TypeExpectation<Actual> {
  void value;
  return { toEqualTypeOf: () => undefined, toEmit: () => undefined };
}
