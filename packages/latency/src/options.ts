/**
 * The options of the latency backing and store: how long each backing operation waits, how
 * often it fails, and which scheduler tells time. This file is the package's contract.
 */
import { optionNames, STORE_OPTIONS, type BackingStore, type StoreOptions } from '@konserve-rx/core';
import type { SchedulerLike } from 'rxjs';
import type { BackingOp } from './ops';

/** Every operation waits exactly `ms` milliseconds. */
export interface FixedLatency {
  /** Selects the fixed distribution. */
  readonly distribution: 'fixed';
  /** The delay in milliseconds (>= 0). */
  readonly ms: number;
}

/** Delays drawn uniformly from `[min, max)` milliseconds. */
export interface UniformLatency {
  /** Selects the uniform distribution. */
  readonly distribution: 'uniform';
  /** The smallest delay in milliseconds (>= 0). */
  readonly min: number;
  /** The largest delay in milliseconds (>= `min`). */
  readonly max: number;
}

/** Delays drawn from a normal distribution (Box-Muller), clamped at 0. */
export interface NormalLatency {
  /** Selects the normal distribution. */
  readonly distribution: 'normal';
  /** The mean in milliseconds (before clamping at 0). */
  readonly mean: number;
  /** The standard deviation in milliseconds (>= 0). */
  readonly stddev: number;
}

/** Delays drawn from an exponential distribution: many fast answers, a long tail. */
export interface ExponentialLatency {
  /** Selects the exponential distribution. */
  readonly distribution: 'exponential';
  /** The mean in milliseconds (> 0). */
  readonly mean: number;
}

/** Log-normal delays given by the parameters of the underlying normal: `exp(N(mu, sigma))` ms. */
export interface LognormalParams {
  /** Selects the log-normal distribution. */
  readonly distribution: 'lognormal';
  /** The mean of the logarithm of the delay; the median delay is `exp(mu)` ms. */
  readonly mu: number;
  /** The standard deviation of the logarithm of the delay (>= 0). */
  readonly sigma: number;
}

/** Log-normal delays given the way latency is usually quoted: median and 99th percentile in ms. */
export interface LognormalPercentiles {
  /** Selects the log-normal distribution. */
  readonly distribution: 'lognormal';
  /** The median delay in milliseconds (> 0). */
  readonly median: number;
  /** The 99th-percentile delay in milliseconds (>= `median`). */
  readonly p99: number;
}

/** A named latency distribution. */
export type LatencyDistribution = FixedLatency | UniformLatency | NormalLatency | ExponentialLatency | LognormalParams | LognormalPercentiles;

/**
 * Computes the delay of one operation in milliseconds; `random` is the backing's seeded PRNG
 * (uniform in `[0, 1)`), so custom distributions replay too. Negative or NaN results count as 0.
 */
export type LatencyFunction = (op: BackingOp, random: () => number) => number;

/** A delay: fixed milliseconds, a named distribution, or a function of the operation. */
export type LatencySpec = number | LatencyDistribution | LatencyFunction;

/** Injected failures: a sampled share of operations errors with `ERR_SIMULATED_FAILURE`. */
export interface FailureOptions {
  /** The probability (0 to 1) that one eligible operation fails. */
  readonly rate: number;
  /**
   * The operations that may fail. A failing operation never reaches the inner backing.
   * @default every operation (BACKING_OPS)
   */
  readonly ops?: readonly BackingOp[];
}

/** Options of `latencyBacking`. The most specific latency wins: `byOp`, then `reads`/`writes`, then `latency`. */
export interface LatencyBackingOptions {
  /**
   * The delay of every operation without a more specific setting.
   * @default { distribution: 'uniform', min: 0, max: 5 }
   */
  latency?: LatencySpec;
  /**
   * The delay of read operations (`READ_OPS`: read, readHead, open, has, list).
   * @default latency
   */
  reads?: LatencySpec;
  /**
   * The delay of write operations (`WRITE_OPS`: write, writeStream, writeBatch, delete, lock).
   * @default latency
   */
  writes?: LatencySpec;
  /**
   * The delay of single operations, by name; wins over `reads`, `writes` and `latency`.
   * @default {}
   */
  byOp?: Readonly<Partial<Record<BackingOp, LatencySpec>>>;
  /**
   * The seed of the PRNG behind delays and failures; the same seed replays the same samples.
   * Read it back from `backing.seed` to replay a run that used a random one.
   * @default a random 32-bit integer
   */
  seed?: number;
  /**
   * Failure injection; failures use their own PRNG stream, so enabling them keeps the delays.
   * @default undefined (no failures)
   */
  failures?: FailureOptions;
  /**
   * The scheduler that waits; pass a `TestScheduler` to run in virtual time.
   * @default asyncScheduler's timers with `performance.now()` as the clock (sub-millisecond)
   */
  scheduler?: SchedulerLike;
}

/** Options of `connectLatencyStore`: the latency options, the Store options, and the backing to wrap. */
export interface LatencyStoreOptions extends StoreOptions, LatencyBackingOptions {
  /**
   * The backing that holds the bytes.
   * @default memoryBacking()
   */
  inner?: BackingStore;
}

/** Every option name of {@link LatencyBackingOptions}. */
export const LATENCY_BACKING_OPTIONS = optionNames<LatencyBackingOptions>({
  latency: true,
  reads: true,
  writes: true,
  byOp: true,
  seed: true,
  failures: true,
  scheduler: true,
});

/** Every option name of {@link LatencyStoreOptions}. */
export const LATENCY_STORE_OPTIONS = optionNames<Pick<LatencyStoreOptions, 'inner'>>({ inner: true }, LATENCY_BACKING_OPTIONS, STORE_OPTIONS);
