/**
 * A tiny driver for generator-based flows over `MaybePromise` values: a step that yields a plain
 * value continues synchronously, a step that yields a promise continues when it settles. This is
 * what lets a synchronous backing (memory) complete a whole Store operation inside `subscribe`.
 */
import type { MaybePromise } from '../../backing';
import { isThenable } from '../../maybe-promise';

export { isThenable, mapMaybe } from '../../maybe-promise';

/** A flow: a generator that yields `MaybePromise`s (through `wait`) and returns its result. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Flow<T> = Generator<unknown, T, any>;

/** Waits for a `MaybePromise` inside a flow: `const v = yield* wait(backing.read(id))`. */
export function* wait<T>(x: MaybePromise<T>): Generator<unknown, T, T> {
  return isThenable<T>(x) ? yield x : x;
}

/**
 * Runs a flow to completion; returns its result synchronously when no step was asynchronous. A
 * plain `MaybePromise` (work that needed no flow) is its own result.
 */
export function runFlow<T>(work: Flow<T> | MaybePromise<T>): MaybePromise<T> {
  return isFlow(work) ? step(work, undefined, false) : work;
}

/** True for a generator (a flow), as opposed to a value or a promise. */
export function isFlow<T>(x: Flow<T> | MaybePromise<T>): x is Flow<T> {
  return typeof x === 'object' && x !== null && typeof (x as Flow<T>).next === 'function' && typeof (x as Flow<T>).throw === 'function';
}

function step<T>(flow: Flow<T>, input: unknown, isError: boolean): MaybePromise<T> {
  const r = isError ? flow.throw(input) : flow.next(input);
  if (r.done) return r.value;
  // `wait` only yields thenables (plain values continue inside the generator), so resume on settle
  return Promise.resolve(r.value as PromiseLike<unknown>).then(
    (v) => step(flow, v, false),
    (e) => step(flow, e, true),
  );
}
