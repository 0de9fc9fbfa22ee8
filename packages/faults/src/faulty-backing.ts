/** The fault-injecting backing: any `BackingStore`, failing, crashing and flipping bits on a seed. */
import {
  checkOptions,
  invalidArgument,
  KonserveError,
  mapMaybe,
  simulatedFailure,
  wrapBacking,
  type BackingStore,
  type BlobHandle,
  type MaybePromise,
} from '@konserve-rx/core';
import { crashBatch, crashStream } from './internal/crash';
import { below, deriveSeed, mulberry32, randomSeed } from './internal/random';
import { FAULT_OPS, FAULTY_BACKING_OPTIONS, type CrashApplied, type FaultOp, type FaultRecord, type FaultyBackingOptions } from './options';

/** A `BackingStore` that injects faults, with the record of every fault it injected. */
export interface FaultyBacking extends BackingStore {
  /** The seed in use (the given one, or the random one chosen), to replay this run. */
  readonly seed: number;
  /** Every fault injected so far, in order; `seq` is the index. */
  readonly faults: readonly FaultRecord[];
  /** Stops injecting: every call passes through unchanged (and draws nothing) until `resume`. */
  pause(): void;
  /** Starts injecting again after `pause`. */
  resume(): void;
}

/**
 * Wraps a backing so that, on a seeded schedule, calls fail before reaching it, writes crash
 * midway or after their commit, and reads return bytes with one bit flipped. The stored bytes
 * are never damaged: a clean Store over `inner` sees exactly what was committed. Synchronous
 * inner backings stay synchronous (faults are thrown), asynchronous ones reject.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (thrown).
 * @param inner - the backing that holds the bytes
 * @param options - seed, per-operation error rates, bit-flip rate, crash rate and error factory
 * @returns the wrapped backing, with the same capabilities and optional methods as `inner`;
 * throws `ERR_INVALID_ARGUMENT` on a rate outside `[0, 1]`
 * @example
 * ```ts
 * const inner = memoryBacking();
 * const backing = faultyBacking(inner, { seed: 7, errorRates: { write: 0.1 }, bitFlipRate: 0.05, crashRate: 0.05 });
 * const store = createStore(backing);   // sees the faults
 * const clean = createStore(inner);     // sees what was really committed
 * ```
 */
export function faultyBacking(inner: BackingStore, options: FaultyBackingOptions = {}): FaultyBacking {
  checkOptions('faultyBacking', options, FAULTY_BACKING_OPTIONS);
  const rates = checkRates(options);
  const seed = options.seed ?? randomSeed();
  const errorRandom = mulberry32(deriveSeed(seed, 0));
  const crashRandom = mulberry32(deriveSeed(seed, 1));
  const flipRandom = mulberry32(deriveSeed(seed, 2));
  const faults: FaultRecord[] = [];
  let enabled = true;
  const async = !inner.capabilities.syncResults;

  const errorFor = (op: FaultOp, id: string | undefined, kind: 'error' | 'crash'): unknown =>
    options.error ? options.error(op, id, kind) : simulated(op, id, kind);
  // a synchronous backing throws, an asynchronous one rejects, as a real one of each kind would
  const settle = <T>(run: () => MaybePromise<T>): MaybePromise<T> => {
    if (!async) return run();
    try {
      return Promise.resolve(run());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const guarded = <T>(op: FaultOp, id: string | undefined, run: () => MaybePromise<T>): MaybePromise<T> =>
    settle(() => {
      const rate = rates.errors[op] ?? 0;
      if (enabled && rate > 0 && errorRandom() < rate) {
        faults.push({ seq: faults.length, kind: 'error', op, ...(id === undefined ? {} : { id }) });
        throw errorFor(op, id, 'error');
      }
      return run();
    });
  const crashes = (): boolean => enabled && rates.crash > 0 && crashRandom() < rates.crash;
  const crashReport =
    (op: FaultOp, id: string | undefined) =>
    (applied: CrashApplied, entries?: number): unknown => {
      faults.push({ seq: faults.length, kind: 'crash', op, applied, ...(id === undefined ? {} : { id }), ...(entries === undefined ? {} : { entries }) });
      return errorFor(op, id, 'crash');
    };
  const flip = (op: FaultOp, id: string, bytes: Uint8Array | undefined): Uint8Array | undefined => {
    if (!enabled || rates.flip === 0 || bytes === undefined || bytes.length === 0 || flipRandom() >= rates.flip) return bytes;
    const copy = Uint8Array.from(bytes);
    const byte = below(flipRandom, copy.length);
    const bit = below(flipRandom, 8);
    copy[byte] = copy[byte]! ^ (1 << bit);
    faults.push({ seq: faults.length, kind: 'bitflip', op, id, byte, bit });
    return copy;
  };
  const handle = (h: BlobHandle, id: string): BlobHandle => ({
    size: h.size,
    read: (position, length) => guarded('read', id, () => mapMaybe(h.read(position, length), (b) => flip('read', id, b)!)),
    close: () => h.close(),
  });

  const backing: FaultyBacking = {
    capabilities: inner.capabilities,
    seed,
    faults,
    pause: () => void (enabled = false),
    resume: () => void (enabled = true),
    read: (id) => guarded('read', id, () => mapMaybe(inner.read(id), (b) => flip('read', id, b))),
    write: (id, data, expiresAt) =>
      crashes()
        ? settle(() =>
            mapMaybe(inner.write(id, data, expiresAt), () => {
              throw crashReport('write', id)('all');
            }),
          )
        : guarded('write', id, () => inner.write(id, data, expiresAt)),
    delete: (id) =>
      crashes()
        ? settle(() =>
            mapMaybe(inner.delete(id), () => {
              throw crashReport('delete', id)('all');
            }),
          )
        : guarded('delete', id, () => inner.delete(id)),
    has: (id) => guarded('has', id, () => inner.has(id)),
    list: () => guarded('list', undefined, () => inner.list()) as ReturnType<BackingStore['list']>,
  };
  return wrapBacking(inner, backing, {
    readHead: (readHead) => (id, length) => guarded('readHead', id, () => mapMaybe(readHead(id, length), (b) => flip('readHead', id, b))),
    open: (open) => (id) => guarded('open', id, () => mapMaybe(open(id), (h) => h && handle(h, id))),
    writeStream: (writeStream) => (id, chunks, head) =>
      crashes()
        ? crashStream(inner, id, chunks, head, crashRandom, crashReport('writeStream', id))
        : (guarded('writeStream', id, () => writeStream(id, chunks, head)) as Promise<void>),
    writeBatch: (writeBatch) => (entries) =>
      crashes()
        ? settle(() => crashBatch(inner, entries, crashRandom, crashReport('writeBatch', undefined)))
        : guarded('writeBatch', undefined, () => writeBatch(entries)),
    listPrefix: (listPrefix) => (prefix) => guarded('listPrefix', undefined, () => listPrefix(prefix)) as ReturnType<BackingStore['list']>,
    lock: (lock) => (id) => guarded('lock', id, () => lock(id)),
    // a write in one round trip: it fails (never crashes midway) as a write does
    writeIfUnlocked: (writeIfUnlocked) => (id, data, notice, expiresAt) => guarded('write', id, () => writeIfUnlocked(id, data, notice, expiresAt)),
    // a delete in one round trip: it fails (never crashes midway) as a delete does
    deleteIfUnlocked: (deleteIfUnlocked) => (id, notice) => guarded('delete', id, () => deleteIfUnlocked(id, notice)),
    close: (close) => () => close(),
  });
}

interface Rates {
  readonly errors: Readonly<Partial<Record<FaultOp, number>>>;
  readonly flip: number;
  readonly crash: number;
}

function checkRates(options: FaultyBackingOptions): Rates {
  const check = (name: string, rate: number | undefined): number => {
    if (rate === undefined) return 0;
    if (!(rate >= 0 && rate <= 1)) throw invalidArgument(`${name} must be between 0 and 1, got ${String(rate)}`);
    return rate;
  };
  const errors = options.errorRates ?? {};
  for (const [op, rate] of Object.entries(errors)) {
    if (!FAULT_OPS.includes(op as FaultOp)) throw invalidArgument(`errorRates.${op}: not a backing operation (one of ${FAULT_OPS.join(', ')})`);
    check(`errorRates.${op}`, rate);
  }
  return { errors, flip: check('bitFlipRate', options.bitFlipRate), crash: check('crashRate', options.crashRate) };
}

/** The default injected error: `ERR_SIMULATED_FAILURE`, with the blob id as `path`. */
function simulated(op: FaultOp, id: string | undefined, kind: 'error' | 'crash'): KonserveError {
  return simulatedFailure(op, id, kind === 'crash' ? 'crash' : 'failure');
}
