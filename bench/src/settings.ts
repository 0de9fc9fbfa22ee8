/** How big and how long each section runs: the default run (a few minutes) and `--quick` (seconds). */
import type { Budget } from './harness';

/** The knobs of one run. */
export interface Settings {
  readonly quick: boolean;
  /** Folder for the durable stores (removed afterwards). */
  readonly workDir: string;
  readonly memory: { readonly keys: number; readonly rounds: number; readonly budget: Budget };
  readonly durable: { readonly keys: number; readonly rounds: number; readonly inFlight: number; readonly budget: Budget };
  readonly scale: {
    readonly sizes: readonly number[];
    readonly rounds: number;
    readonly budget: Budget;
    readonly fsBudget: Budget;
    readonly listRounds: number;
    readonly coldRounds: number;
  };
  readonly batch: { readonly entries: number; readonly rounds: number };
  /** The redis section: one private redis-server, each appendfsync policy in turn. */
  readonly redis: { readonly keys: number; readonly rounds: number; readonly inFlight: number; readonly budget: Budget };
  /** The postgres section: one private PostgreSQL cluster. */
  readonly postgres: { readonly keys: number; readonly rounds: number; readonly inFlight: number; readonly budget: Budget };
}

/** The default run: every section side by side, about 3-4 minutes on 2 cores. */
export function defaultSettings(workDir: string): Settings {
  return {
    quick: false,
    workDir,
    // maxOps lets the bare floors (millions of operations a second) fill the 250 ms too: capped at
    // 200,000 their rounds lasted 20-30 ms, and their spread over runs reached 14-19 %
    memory: { keys: 1000, rounds: 9, budget: { ms: 250, calibrate: 2000, minOps: 500, maxOps: 3_000_000 } },
    durable: { keys: 1000, rounds: 7, inFlight: 64, budget: { ms: 250, calibrate: 64, minOps: 64, maxOps: 20_000 } },
    scale: {
      sizes: [1000, 10_000, 100_000],
      rounds: 5,
      budget: { ms: 200, calibrate: 2000, minOps: 500, maxOps: 200_000 },
      fsBudget: { ms: 300, calibrate: 64, minOps: 64, maxOps: 20_000 },
      listRounds: 1,
      coldRounds: 3,
    },
    batch: { entries: 100, rounds: 5 },
    redis: { keys: 1000, rounds: 7, inFlight: 64, budget: { ms: 200, calibrate: 64, minOps: 64, maxOps: 20_000 } },
    // at least 2,000 operations a round (about 30 waves of 64): a round's ramp-up and drain, and the server's
    // work per second (checkpoints, the change log's periodic read), then weigh little and alike for every
    // contender; a calibration of 128 (two waves) sized rounds anywhere from 300 to 3,000 operations
    postgres: { keys: 1000, rounds: 7, inFlight: 64, budget: { ms: 300, calibrate: 512, minOps: 2000, maxOps: 20_000 } },
  };
}

/** A smoke run: tiny sizes, one or two rounds; the numbers mean little. */
export function quickSettings(workDir: string): Settings {
  return {
    quick: true,
    workDir,
    memory: { keys: 200, rounds: 2, budget: { ms: 20, calibrate: 200, minOps: 100, maxOps: 5000 } },
    durable: { keys: 100, rounds: 1, inFlight: 16, budget: { ms: 30, calibrate: 16, minOps: 16, maxOps: 500 } },
    scale: {
      sizes: [100, 1000],
      rounds: 1,
      budget: { ms: 20, calibrate: 100, minOps: 100, maxOps: 5000 },
      fsBudget: { ms: 30, calibrate: 16, minOps: 16, maxOps: 500 },
      listRounds: 1,
      coldRounds: 1,
    },
    batch: { entries: 20, rounds: 1 },
    redis: { keys: 100, rounds: 1, inFlight: 16, budget: { ms: 20, calibrate: 16, minOps: 16, maxOps: 500 } },
    postgres: { keys: 100, rounds: 1, inFlight: 16, budget: { ms: 20, calibrate: 16, minOps: 16, maxOps: 500 } },
  };
}
