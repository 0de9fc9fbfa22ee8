/** Section "batch": multiAssoc of N entries (one writeBatch, one folder fsync per folder) vs N sequential assocs, on the file store. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { connectFileStore } from '@konserve-rx/fs';
import { DOC } from '../fixture';
import { median, timeRounds } from '../harness';
import type { Settings } from '../settings';
import type { Log } from './log';

/** One fsync setting's timings, in ms for the whole group of entries (medians over rounds). */
export interface BatchRow {
  readonly fsync: boolean;
  readonly entries: number;
  readonly sequentialMs: number;
  readonly multiAssocMs: number;
  /** sequentialMs / multiAssocMs. */
  readonly gain: number;
}

/** The batch section's result. */
export interface BatchResult {
  readonly rounds: number;
  readonly rows: BatchRow[];
}

/** Runs the batch section in `settings.workDir/batch`. */
export async function runBatch(settings: Settings, log: Log): Promise<BatchResult> {
  const { entries, rounds } = settings.batch;
  const root = join(settings.workDir, 'batch');
  const keys = Array.from({ length: entries }, (_, j) => `batch-${j}`);
  const tasks = [];
  const stores = [];
  for (const fsync of [true, false]) {
    const store = await firstValueFrom(connectFileStore({ path: join(root, fsync ? 'fsync' : 'nofsync'), fsync }));
    stores.push(store);
    // the keys exist before measuring: both paths replace files, neither creates shard folders
    await firstValueFrom(store.multiAssoc(keys.map((k) => [k, DOC] as const)));
    tasks.push(
      {
        id: `sequential/${fsync}`,
        run: async () => {
          for (const k of keys) await firstValueFrom(store.assoc(k, DOC));
        },
      },
      { id: `multiAssoc/${fsync}`, run: async () => void (await firstValueFrom(store.multiAssoc(keys.map((k) => [k, DOC] as const)))) },
    );
  }
  let step = 0;
  const times = await timeRounds(tasks, rounds, () => log.progress('batch', ++step, tasks.length * rounds));
  for (const s of stores) await firstValueFrom(s.close());
  rmSync(root, { recursive: true, force: true });
  const rows = [true, false].map((fsync): BatchRow => {
    const sequentialMs = median(times.get(`sequential/${fsync}`)!);
    const multiAssocMs = median(times.get(`multiAssoc/${fsync}`)!);
    return { fsync, entries, sequentialMs, multiAssocMs, gain: sequentialMs / multiAssocMs };
  });
  return { rounds, rows };
}
