/**
 * Small helpers shared by the compliance areas: turning Observables into promises with a
 * timeout (so a hung operation fails its test quickly instead of at jest's limit), capturing
 * error notifications, recording hot streams, and deterministic fixtures.
 */
import { Observable, timeout, toArray, lastValueFrom } from 'rxjs';
import type { BackingStore } from '../backing';
import { KonserveError } from '../errors';
import { mulberry32 } from '../random';

/**
 * How long one operation may stay silent before its test fails, in milliseconds: long enough for
 * two copies of the whole suite on a loaded two-core machine (a hang still fails, it only fails later).
 */
export const OP_TIMEOUT_MS = 25_000;

/**
 * Resolves with the single value `obs` emits; rejects if it emits none or several, or errors.
 * @param obs - a single-result operation
 * @returns a promise of the one value; it rejects after {@link OP_TIMEOUT_MS} of silence
 */
export async function run<T>(obs: Observable<T>): Promise<T> {
  const values = await collect(obs);
  if (values.length !== 1) {
    throw new Error(`expected a single-result operation to emit exactly one value, got ${values.length}`);
  }
  return values[0] as T;
}

/**
 * Resolves with every value `obs` emits once it completes.
 * @param obs - a stream that completes
 * @returns a promise of every value in order; it rejects on error or after {@link OP_TIMEOUT_MS} of silence
 */
export function collect<T>(obs: Observable<T>): Promise<T[]> {
  return lastValueFrom(obs.pipe(timeout(OP_TIMEOUT_MS), toArray()));
}

/**
 * Resolves with whatever `obs` errors with; rejects if it completes instead.
 * @param obs - an operation expected to fail
 * @returns a promise of the error notification's value
 */
export function failure(obs: Observable<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let count = 0;
    obs.pipe(timeout(OP_TIMEOUT_MS)).subscribe({
      next: () => void count++,
      error: resolve,
      complete: () => reject(new Error(`expected an error notification, but it completed after ${count} value(s)`)),
    });
  });
}

/**
 * Resolves with the `KonserveError` `obs` errors with (asserting it is one).
 * @param obs - an operation expected to fail with a `KonserveError`
 * @returns a promise of that error, to assert its `code` and `key`
 */
export async function errorOf(obs: Observable<unknown>): Promise<KonserveError> {
  const err = await failure(obs);
  if (!(err instanceof KonserveError)) throw new Error(`expected a KonserveError, got ${String(err)}`, { cause: err });
  return err;
}

/**
 * Subscribes without waiting; the returned promise settles like `run`, and never rejects unhandled.
 * @param obs - a single-result operation
 * @returns a promise that settles like {@link run}
 */
export function start<T>(obs: Observable<T>): Promise<T> {
  const p = run(obs);
  p.catch(() => undefined);
  return p;
}

/** A live recording of a hot stream: the values so far, and a way to wait for more. */
export interface Recording<T> {
  /** Every value emitted so far. */
  readonly values: T[];
  /** Whether the stream has completed. */
  readonly done: () => boolean;
  /** The error the stream failed with, if any. */
  readonly error: () => unknown;
  /** Resolves once at least `n` values arrived; rejects after a timeout. */
  until(n: number): Promise<T[]>;
  /** Resolves once `ok(values)` holds; rejects after a timeout. */
  when(ok: (values: T[]) => boolean): Promise<T[]>;
  /** Resolves once the stream completes; rejects after a timeout. */
  completed(): Promise<T[]>;
  /** Stops recording. */
  stop(): void;
}

/**
 * Subscribes to `obs` now and records what it emits.
 * @param obs - usually a hot stream (`changes()`, `watch(key)`)
 * @returns the live recording; call `stop()` when done
 */
export function record<T>(obs: Observable<T>): Recording<T> {
  const values: T[] = [];
  let finished = false;
  let failed: unknown;
  const sub = obs.subscribe({
    next: (v) => void values.push(v),
    error: (e) => {
      failed = e;
      finished = true;
    },
    complete: () => void (finished = true),
  });
  const waitFor = async (ok: () => boolean, what: string): Promise<T[]> => {
    await eventually(
      () => {
        if (failed !== undefined) throw failed;
        return ok();
      },
      () => `${what}; got ${values.length} value(s)`,
    );
    return values;
  };
  return {
    values,
    done: () => finished,
    error: () => failed,
    until: (n) => waitFor(() => values.length >= n, `${n} value(s)`),
    when: (ok) => waitFor(() => ok(values), 'a matching value'),
    completed: () => waitFor(() => finished && failed === undefined, 'completion'),
    stop: () => sub.unsubscribe(),
  };
}

/**
 * Waits until `ok()` holds, checking after each timer turn: for what happens in the background
 * (a flush, a retry) without assuming how long it takes.
 * @param ok - the condition; a throw ends the wait with that error
 * @param what - what is awaited, for the timeout's message
 * @returns a promise that resolves once `ok()` returned true; it rejects after {@link OP_TIMEOUT_MS}
 */
export function eventually(ok: () => boolean, what: string | (() => string) = 'a condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = (): void => {
      try {
        if (ok()) return resolve();
      } catch (e) {
        return reject(e);
      }
      if (Date.now() - t0 > OP_TIMEOUT_MS) return reject(new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`));
      setTimeout(poll, 1);
    };
    poll();
  });
}

/**
 * Lets pending timers and microtasks run (async backings finish in-flight work).
 * @param rounds - how many timer turns to wait
 * @returns a promise that resolves after them
 */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 2));
}

/**
 * A promise with its resolve function exposed, to hold an operation open.
 * @returns the promise and the function that resolves it
 */
export function gate<T = void>(): { promise: Promise<T>; open: (v: T) => void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

/**
 * A seeded PRNG, so a test that draws random choices replays exactly: core's {@link mulberry32},
 * the generator the latency and fault wrappers draw from too.
 * @param seed - any number; its 32 low bits are the state
 * @returns a function giving the next uniform number in `[0, 1)` on each call
 */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

/**
 * Deterministic pseudo-random bytes (the low byte of each {@link seededRandom} draw), so a failure
 * replays exactly.
 * @param length - how many bytes
 * @param seed - the PRNG seed
 * @returns the same bytes for the same length and seed
 */
export function seededBytes(length: number, seed = 42): Uint8Array {
  const out = new Uint8Array(length);
  const random = seededRandom(seed);
  for (let i = 0; i < length; i++) out[i] = (random() * 4294967296) & 0xff;
  return out;
}

/**
 * Concatenates chunks into one array.
 * @param chunks - the arrays, in order
 * @returns one array holding them all
 */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Whether two byte arrays hold the same bytes (a fast check for large payloads).
 * @param a - one array
 * @param b - the other
 * @returns whether they have the same length and bytes
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Every blob id of a backing, sorted (list() may be sync or async).
 * @param backing - the backing to list
 * @returns a promise of its blob ids, sorted
 */
export async function listIds(backing: BackingStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of backing.list()) ids.push(id);
  return ids.sort();
}

/** Blob ids of user keys: 64 lowercase hex characters. */
export const USER_BLOB_ID = /^[0-9a-f]{64}$/;

/**
 * Runs a write that adds exactly one user blob and returns that blob's id (found by listing the
 * backing before and after), for tests that damage or inspect a key's blob through the backing.
 * @param store - the store written to
 * @param write - the write, e.g. `() => run(store.assoc(k, v))`
 * @returns the id of the one user blob the write added
 */
export async function addedBlobId(store: { readonly backing: BackingStore }, write: () => Promise<unknown>): Promise<string> {
  const before = new Set(await listIds(store.backing));
  await write();
  const added = (await listIds(store.backing)).filter((id) => !before.has(id) && USER_BLOB_ID.test(id));
  if (added.length !== 1) throw new Error(`expected the write to add exactly one user blob, it added ${added.length}`);
  return added[0]!;
}

/**
 * A stable, order-independent text form of a key, for sorting results whose order is free.
 * @param key - a user key
 * @returns a canonical text (object fields sorted)
 */
export function keyText(key: unknown): string {
  return JSON.stringify(key, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1))) : v,
  );
}
