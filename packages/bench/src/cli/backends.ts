/** Opens the store a benchmark measures: memory, latency over memory, or file (when `@konserve-rx/fs` is installed). */
import { createStore, type Store } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { latencyBacking, type LatencyBacking } from '@konserve-rx/latency';
import type { BenchConfig } from './config';

/** The store under test, a store to preload the same bytes without delays, and the cleanup. */
export interface BenchTarget {
  /** The measured store. */
  readonly store: Store;
  /** Writes the same bytes as `store`, without simulated latency, for the untimed preload. */
  readonly preloadStore: Store;
  /** The latency backing, for the latency backend. */
  readonly backing?: LatencyBacking;
  /** Closes the stores and removes a temporary folder. */
  close(): Promise<void>;
}

type FsModule = typeof import('@konserve-rx/fs');

/**
 * Opens the configured backend. `@konserve-rx/fs` is an optional peer dependency: it is loaded
 * only for `--backend file`, so the CLI runs without it for the other backends.
 * @param config - backend, latency, seed, failureRate and path
 * @returns a promise of the target; rejects with a helpful message when `@konserve-rx/fs` is missing
 */
export async function openTarget(config: BenchConfig): Promise<BenchTarget> {
  if (config.backend === 'memory') {
    const store = createStore(memoryBacking());
    return { store, preloadStore: store, close: () => closeAll([store]) };
  }
  if (config.backend === 'latency') {
    const inner = memoryBacking();
    const failures = config.failureRate > 0 ? { failures: { rate: config.failureRate, ops: ['write', 'writeBatch'] as const } } : {};
    const backing = latencyBacking(inner, { latency: config.latency, seed: config.seed, ...failures });
    const store = createStore(backing);
    const preloadStore = createStore(inner);
    // Closing the latency store closes the shared inner backing; preloadStore needs no close of its own.
    return { store, preloadStore, backing, close: () => closeAll([store]) };
  }
  const path = config.path ?? mkdtempSync(join(tmpdir(), 'konserve-rx-bench-'));
  const store = await firstValueFrom((await loadFs()).connectFileStore({ path }));
  return {
    store,
    preloadStore: store,
    close: async () => {
      await closeAll([store]);
      if (config.path === undefined) rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * Checks, before anything runs, that the configured backend's package can be loaded.
 * @param config - the backend
 * @returns a promise of a message for the user when the backend's package is not installed, else `undefined`
 */
export async function missingBackend(config: Pick<BenchConfig, 'backend'>): Promise<string | undefined> {
  if (config.backend !== 'file') return undefined;
  try {
    await loadFs();
    return undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND' || !String(error).includes('@konserve-rx/fs')) throw error;
    return '--backend file needs the optional peer dependency @konserve-rx/fs: install it next to @konserve-rx/bench';
  }
}

function loadFs(): Promise<FsModule> {
  return import('@konserve-rx/fs');
}

async function closeAll(stores: readonly Store[]): Promise<void> {
  for (const store of stores) await firstValueFrom(store.close(), { defaultValue: undefined });
}
