/** The latency backing: any `BackingStore`, answering slowly and out of order. */
import {
  checkOptions,
  deriveSeed,
  isThenable,
  mapMaybe,
  mulberry32,
  randomSeed,
  type BackingStore,
  type BatchEntry,
  type BlobHandle,
  type MaybePromise,
  type ReleaseLock,
  wrapBacking,
} from '@konserve-rx/core';
import type { Observable } from 'rxjs';
import { createFailureInjector } from './failures';
import { createDelayQueue } from './internal/delay-queue';
import { delayedCall, type Delegate } from './internal/delayed-call';
import { preciseAsyncScheduler } from './internal/precise-scheduler';
import { LATENCY_BACKING_OPTIONS, type LatencyBackingOptions } from './options';
import type { BackingOp } from './ops';
import { resolveLatency } from './resolve-latency';
import { createTimingRecorder, type LatencySummary, type OpTiming } from './timing';

/** A `BackingStore` that delays every operation (so every result is a promise), plus the timings it measured. */
export interface LatencyBacking extends BackingStore {
  /** The inner's whole blob after the delay, or `undefined`. */
  read(id: string): Promise<Uint8Array | undefined>;
  /** The inner's first bytes after the delay; present when the inner has `readHead`. */
  readHead?(id: string, length: number): Promise<Uint8Array | undefined>;
  /** Opens the blob after the delay; each positional read is delayed as a `read`. Present when the inner has `open`. */
  open?(id: string): Promise<BlobHandle | undefined>;
  /** Writes `data` after the delay (passing `expiresAt` on). */
  write(id: string, data: Uint8Array, expiresAt?: number): Promise<void>;
  /** Streams the blob after the delay; present when the inner has `writeStream`. */
  writeStream?(id: string, chunks: AsyncIterable<Uint8Array>, head: () => Uint8Array): Promise<void>;
  /** Writes the entries after the delay; present when the inner has `writeBatch`. */
  writeBatch?(entries: readonly BatchEntry[]): Promise<void>;
  /** Deletes after the delay. */
  delete(id: string): Promise<boolean>;
  /** Answers after the delay. */
  has(id: string): Promise<boolean>;
  /** Lists after one delay, taken when iteration starts. */
  list(): AsyncIterable<string>;
  /** Locks after the delay (releasing is not delayed); present when the inner has `lock`. */
  lock?(id: string): Promise<ReleaseLock>;
  /** The seed in use (the given one, or the random one chosen), to replay this run. */
  readonly seed: number;
  /** Hot: emits the timing of each operation as it finishes; completes when the backing is closed. */
  readonly stats$: Observable<OpTiming>;
  /** Summarises the measured durations of every finished operation, per operation kind. */
  summary(): LatencySummary;
}

/**
 * Wraps a backing so each operation waits a sampled delay before it reaches `inner`; concurrent
 * operations therefore complete out of order, like requests to a remote store. Optional methods
 * exist only when `inner` has them; `capabilities` are the inner's with `syncResults: false`.
 * Failed operations (see `failures`) error with `ERR_SIMULATED_FAILURE` and never reach `inner`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param inner - the backing that holds the bytes
 * @param options - latency per operation, seed, failures and scheduler
 * @returns the wrapped backing; it errors with `ERR_INVALID_ARGUMENT` (thrown) on invalid options
 * @example
 * ```ts
 * const backing = latencyBacking(memoryBacking(), { latency: { distribution: 'uniform', min: 0, max: 5 }, seed: 42 });
 * const store = createStore(backing);
 * store.assoc('user', { name: 'Ada' }).subscribe();
 * backing.stats$.subscribe((t) => console.log(t.op, t.durationMs));
 * ```
 */
export function latencyBacking(inner: BackingStore, options: LatencyBackingOptions = {}): LatencyBacking {
  checkOptions('latencyBacking', options, LATENCY_BACKING_OPTIONS);
  const seed = options.seed ?? randomSeed();
  const scheduler = options.scheduler ?? preciseAsyncScheduler;
  const sample = resolveLatency(options, mulberry32(seed));
  const shouldFail = createFailureInjector(options.failures, mulberry32(deriveSeed(seed, 1)));
  const timings = createTimingRecorder();
  const setting = { scheduler, delay: createDelayQueue(scheduler), record: timings.record };
  const call: Call = <A, T>(op: BackingOp, id: string | undefined, run: Delegate<A, T>, arg: A) =>
    delayedCall(setting, op, id, sample(op), shouldFail(op), run, arg);
  // made once: each call passes its id and bytes instead of a closure of its own
  const read = (id: string | undefined): MaybePromise<Uint8Array | undefined> => inner.read(id!);
  const write = (id: string | undefined, data: Uint8Array): MaybePromise<void> => inner.write(id!, data);
  const backing: LatencyBacking = {
    capabilities: { ...inner.capabilities, syncResults: false },
    seed,
    stats$: timings.stats$,
    summary: timings.summary,
    read: (id) => call('read', id, read, undefined),
    // no copy of `data`: bytes are immutable once handed over (the BackingStore contract)
    write: (id, data, expiresAt) =>
      expiresAt === undefined ? call('write', id, write, data) : call('write', id, () => inner.write(id, data, expiresAt), undefined),
    delete: (id) => call('delete', id, () => inner.delete(id), undefined),
    has: (id) => call('has', id, () => inner.has(id), undefined),
    list: () => delayedList(call, 'list', () => inner.list()),
    // close is not delayed: it is lifecycle, not a request; it ends `stats$`.
    close: () => closeInner(inner, timings.complete),
  };
  return wrapBacking(inner, backing, {
    readHead: (readHead) => (id, length) => call('readHead', id, () => readHead(id, length), undefined),
    open: (open) => (id) => call('open', id, () => mapMaybe(open(id), (handle) => handle && delayedHandle(handle, id, call)), undefined),
    writeStream: (writeStream) => (id, chunks, head) => call('writeStream', id, () => writeStream(id, chunks, head), undefined),
    writeBatch: (writeBatch) => (entries) => call('writeBatch', undefined, () => writeBatch(entries), undefined),
    listPrefix: (listPrefix) => (prefix) => delayedList(call, 'listPrefix', () => listPrefix(prefix)),
    lock: (lock) => (id) => call('lock', id, () => lock(id), undefined),
    // one round trip that writes: delayed (and failed) as a write
    writeIfUnlocked: (writeIfUnlocked) => (id, data, notice, expiresAt) => call('write', id, () => writeIfUnlocked(id, data, notice, expiresAt), undefined),
    // one round trip that deletes: delayed (and failed) as a delete
    deleteIfUnlocked: (deleteIfUnlocked) => (id, notice) => call('delete', id, () => deleteIfUnlocked(id, notice), undefined),
  });
}

async function* delayedList(call: Call, op: 'list' | 'listPrefix', list: () => ReturnType<BackingStore['list']>): AsyncGenerator<string> {
  const ids = await call(op, undefined, list, undefined);
  for await (const id of ids) yield id;
}

function closeInner(inner: BackingStore, complete: () => void): MaybePromise<void> {
  let result: MaybePromise<void>;
  try {
    result = inner.close?.();
  } catch (error) {
    complete();
    throw error;
  }
  if (!isThenable(result)) {
    complete();
    return result;
  }
  return Promise.resolve(result).finally(complete);
}

/** Runs `run(id, arg)` as operation `op` (on blob `id`) after its sampled delay. */
type Call = <A, T>(op: BackingOp, id: string | undefined, run: Delegate<A, T>, arg: A) => Promise<T>;

/** Positional reads of an open blob are round trips too: each one is delayed as a `read`. */
function delayedHandle(handle: BlobHandle, id: string, call: Call): BlobHandle {
  return {
    size: handle.size,
    read: (position, length) => call('read', id, () => handle.read(position, length), undefined),
    close: () => handle.close(),
  };
}
