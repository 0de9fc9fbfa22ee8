/**
 * Section "scale": per-operation cost of get and assoc as the store grows (memory and file stores,
 * next to the limit), streaming `keys()` over the largest stores with sampled heap and RSS, and
 * cold opens of file stores of each size in a fresh process.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { firstValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { connectFileStore } from '@konserve-rx/fs';
import { connectMemoryStore } from '@konserve-rx/memory';
import { mapOfCbor } from '../contenders/memory';
import { DOC, keyOf, slot } from '../fixture';
import { collectGarbage, interleave, median, observed, type Case, type Measured } from '../harness';
import type { ColdOpen } from '../cold-open';
import type { Settings } from '../settings';
import type { Log } from './log';

/** Per-size throughputs of one store kind and operation. */
export interface ScaleRow {
  /** e.g. `konserve-rx memory get`. */
  readonly name: string;
  /** One entry per size, in `sizes` order. */
  readonly bySize: Measured[];
}

/** One `keys()` run over a store. */
export interface Listing {
  readonly store: string;
  readonly keys: number;
  /** Median time over runs, in ms. */
  readonly ms: number;
  /** Largest heapUsed / rss seen while streaming, above the value at the start (after a GC when available). */
  readonly heapPeakDeltaMB: number;
  readonly rssPeakDeltaMB: number;
}

/** Cold opens of one file store size, in a fresh process each. */
export interface ColdOpenRow extends ColdOpen {
  readonly keys: number;
  /** connect + first get, median over runs, in ms. */
  readonly totalMs: number;
}

/** The scale section's result. */
export interface ScaleResult {
  readonly sizes: readonly number[];
  readonly rounds: number;
  readonly rows: ScaleRow[];
  readonly listings: Listing[];
  readonly coldOpens: ColdOpenRow[];
}

/** Runs the scale section; file stores live in `settings.workDir/scale`. */
export async function runScale(settings: Settings, log: Log): Promise<ScaleResult> {
  const { sizes, rounds, budget, fsBudget } = settings.scale;
  const root = join(settings.workDir, 'scale');
  const memory: Store[] = [];
  const files: Store[] = [];
  const memCases: Case[] = [];
  const fsCases: Case[] = [];
  for (const size of sizes) {
    log.note(`scale: loading ${size} documents into a memory store, the limit's Map and a file store`);
    const mem = await loadStore(await firstValueFrom(connectMemoryStore()), size);
    memory.push(mem);
    const limit = mapOfCbor(size, `limit ${size}`);
    const file = await openFileStore(join(root, String(size)), size);
    files.push(file);
    memCases.push(
      { id: `konserve-rx memory get/${size}`, inFlight: 1, start: observed((i) => mem.get(keyOf(slot(i, size)))) },
      { id: `konserve-rx memory assoc/${size}`, inFlight: 1, start: observed((i) => mem.assoc(keyOf(slot(i, size)), DOC)) },
      { id: `limit get/${size}`, inFlight: 1, start: limit.get },
      { id: `limit assoc/${size}`, inFlight: 1, start: limit.put },
    );
    fsCases.push(
      { id: `konserve-rx fs get/${size}`, inFlight: 1, start: observed((i) => file.get(keyOf(slot(i, size)))) },
      { id: `konserve-rx fs assoc, fsync off/${size}`, inFlight: 1, start: observed((i) => file.assoc(keyOf(slot(i, size)), DOC)) },
    );
  }
  const total = (memCases.length + fsCases.length) * (rounds + 1);
  let step = 0;
  const tick = (): void => log.progress('scale', ++step, total);
  const measured = [...(await interleave(memCases, rounds, budget, tick, 'cpu')), ...(await interleave(fsCases, rounds, fsBudget, tick))];
  const names = [...new Set(measured.map((m) => m.id.split('/')[0]!))];
  const rows = names.map((name) => ({ name, bySize: sizes.map((s) => measured.find((m) => m.id === `${name}/${s}`)!) }));

  const listings: Listing[] = [];
  for (const [i, size] of sizes.entries()) {
    if (i !== 0 && i !== sizes.length - 1) continue;
    log.note(`scale: keys() over ${size} keys`);
    listings.push(await listKeys('konserve-rx memory', memory[i]!, size, settings.scale.listRounds));
    listings.push(await listKeys('konserve-rx fs', files[i]!, size, settings.scale.listRounds));
  }
  for (const s of [...memory, ...files]) await firstValueFrom(s.close());
  memory.length = 0;

  if (settings.scale.coldRounds > 0) log.note('scale: cold opens in fresh processes');
  const coldOpens = settings.scale.coldRounds > 0 ? await coldOpenRows(root, sizes, settings.scale.coldRounds) : [];
  rmSync(root, { recursive: true, force: true });
  return { sizes, rounds, rows, listings, coldOpens };
}

async function loadStore(store: Store, size: number): Promise<Store> {
  for (let k = 0; k < size; k += 500) {
    await firstValueFrom(store.multiAssoc(Array.from({ length: Math.min(500, size - k) }, (_, j) => [keyOf(k + j), DOC] as const)));
  }
  return store;
}

/** A file store without fsync (the scale section measures lookup cost, not flushes). */
async function openFileStore(path: string, size: number): Promise<Store> {
  return loadStore(await firstValueFrom(connectFileStore({ path, fsync: false })), size);
}

/** Streams `keys()` `runs` times, sampling heap and RSS every 500 keys. */
export async function listKeys(name: string, store: Store, keys: number, runs: number): Promise<Listing> {
  const times: number[] = [];
  let heapPeak = 0;
  let rssPeak = 0;
  for (let r = 0; r < runs; r++) {
    collectGarbage();
    const base = process.memoryUsage();
    let count = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      store.keys().subscribe({
        next: () => {
          if (++count % 500 !== 0) return;
          const m = process.memoryUsage();
          heapPeak = Math.max(heapPeak, m.heapUsed - base.heapUsed);
          rssPeak = Math.max(rssPeak, m.rss - base.rss);
        },
        error: reject,
        complete: resolve,
      });
    });
    times.push(performance.now() - t0);
    if (count !== keys) throw new Error(`keys() of ${name} listed ${count} keys, expected ${keys}`);
  }
  return { store: name, keys, ms: median(times), heapPeakDeltaMB: heapPeak / 2 ** 20, rssPeakDeltaMB: rssPeak / 2 ** 20 };
}

const run = promisify(execFile);

/** Cold opens of each size, interleaved over `rounds`, each in a new Node process. */
async function coldOpenRows(root: string, sizes: readonly number[], rounds: number): Promise<ColdOpenRow[]> {
  const script = join(__dirname, '..', 'cold-open.js');
  const samples = new Map<number, ColdOpen[]>(sizes.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    for (const size of sizes) {
      const { stdout } = await run(process.execPath, [script, join(root, String(size)), keyOf(size - 1)]);
      samples.get(size)!.push(JSON.parse(stdout) as ColdOpen);
    }
  }
  return sizes.map((keys) => {
    const xs = samples.get(keys)!;
    const pick = (f: (c: ColdOpen) => number): number => median(xs.map(f));
    return {
      keys,
      connectMs: pick((c) => c.connectMs),
      firstGetMs: pick((c) => c.firstGetMs),
      totalMs: pick((c) => c.connectMs + c.firstGetMs),
      foldersListed: pick((c) => c.foldersListed),
      entriesRead: pick((c) => c.entriesRead),
      found: xs.every((c) => c.found),
    };
  });
}
