/**
 * The contract of the fault-injecting backing: which operations it can break, how often, and the
 * record it keeps of every fault it injected (so a test can tell a clean failure from an
 * ambiguous one).
 */
import { BACKING_OPS, optionNames, type BackingOp } from '@konserve-rx/core';

/** A `BackingStore` method the faulty backing can break. */
export type FaultOp = BackingOp;

/** Every {@link FaultOp}. */
export const FAULT_OPS: readonly FaultOp[] = BACKING_OPS;

/** The operations that change stored blobs: the ones that can crash. */
export const CRASH_OPS: readonly FaultOp[] = ['write', 'writeStream', 'writeBatch', 'delete'];

/**
 * How much of a crashed write reached the inner backing:
 * - `'none'`: nothing (a stream or batch stopped before its commit);
 * - `'prefix'`: the first entries of a batch on a backing without atomic batches;
 * - `'all'`: everything, and then the call failed anyway (the lost acknowledgement).
 */
export type CrashApplied = 'none' | 'prefix' | 'all';

/** One fault the backing injected, in the order it happened. */
export type FaultRecord =
  | { readonly seq: number; readonly kind: 'error'; readonly op: FaultOp; readonly id?: string }
  | { readonly seq: number; readonly kind: 'crash'; readonly op: FaultOp; readonly id?: string; readonly applied: CrashApplied; readonly entries?: number }
  | { readonly seq: number; readonly kind: 'bitflip'; readonly op: FaultOp; readonly id?: string; readonly byte: number; readonly bit: number };

/** Options of `faultyBacking`. Every rate is a probability per call, between 0 and 1. */
export interface FaultyBackingOptions {
  /**
   * The seed of the PRNG behind every decision; the same seed and the same calls replay the same
   * faults. Read it back from `backing.seed`.
   * @default a random 32-bit integer
   */
  seed?: number;
  /**
   * The probability that a call of each operation fails before it reaches the inner backing
   * (nothing changes). Operations not listed never fail this way. Positional reads of an opened
   * blob count as `read`, and their faults are recorded as `read` too.
   * @default {}
   */
  errorRates?: Readonly<Partial<Record<FaultOp, number>>>;
  /**
   * The probability that the bytes of one read (`read`, `readHead`, or a positional read of an
   * opened blob) come back with one random bit flipped. The flip is made on a copy: the stored
   * bytes never change, as with a bad cable or a flaky disk controller.
   * @default 0
   */
  bitFlipRate?: number;
  /**
   * The probability that a write (`write`, `writeStream`, `writeBatch`, `delete`) crashes: it
   * fails after doing part or all of its work. A stream stops midway (nothing committed); a batch
   * stops midway (nothing applied when the inner backing has atomic batches, else a prefix of its
   * entries); a single write or delete reaches the inner backing and then fails (the lost
   * acknowledgement). Decided before `errorRates`, so a call both crashes and errors never.
   * @default 0
   */
  crashRate?: number;
  /**
   * Builds the error an injected failure or crash throws. Return a Node-style error with a `code`
   * (e.g. `ENOSPC`) to see how core wraps real I/O errors (`ERR_IO` with the error as `cause`).
   * @default a `KonserveError` with code `ERR_SIMULATED_FAILURE`
   */
  error?: (op: FaultOp, id: string | undefined, kind: 'error' | 'crash') => unknown;
}

/** Every option name of {@link FaultyBackingOptions}. */
export const FAULTY_BACKING_OPTIONS = optionNames<FaultyBackingOptions>({ seed: true, errorRates: true, bitFlipRate: true, crashRate: true, error: true });
