/** Opens the store a benchmark measures: memory, latency over memory, or file (when installed). */
import { createStore, type Store } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, type Observable } from 'rxjs';
import { latencyBacking, type LatencyBacking } from '../latency-backing';
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

type FsModule = { connectFileStore(options: { path: string }): Observable<Store> };

/**
 * Opens the configured backend. The file backend is loaded with a runtime `require` so that
 * this package does not depend on `@konserve-rx/fs`.
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
  const store = await firstValueFrom(loadFs().connectFileStore({ path }));
  return {
    store,
    preloadStore: store,
    close: async () => {
      await closeAll([store]);
      if (config.path === undefined) rmSync(path, { recursive: true, force: true });
    },
  };
}

function loadFs(): FsModule {
  const name = '@konserve-rx/fs';
  try {
    // A variable name keeps TypeScript from resolving (and depending on) the package at build time.
    return require(name) as FsModule;
  } catch (cause) {
    throw new Error(`--backend file needs ${name}: install it next to @konserve-rx/latency`, { cause });
  }
}

async function closeAll(stores: readonly Store[]): Promise<void> {
  for (const store of stores) await firstValueFrom(store.close(), { defaultValue: undefined });
}
