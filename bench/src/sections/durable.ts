/**
 * Section "durable": writes (fsync on and off, sequential and many in flight) and reads
 * (sequential and many in flight) of the 1 KB document, every durable contender side by side.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DURABLE_KINDS, type DurableContender } from '../contenders/durable';
import { interleave, type Case, type Measured } from '../harness';
import type { Settings } from '../settings';
import type { Log } from './log';

/** One contender's results; a missing cell means the store has no such mode (unstorage cannot fsync). */
export interface DurableRow {
  readonly name: string;
  readonly writeSyncSeq?: Measured;
  readonly writeSyncMany?: Measured;
  readonly writeSeq: Measured;
  readonly writeMany: Measured;
  readonly readSeq: Measured;
  readonly readMany: Measured;
}

/** The durable section's result. */
export interface DurableResult {
  readonly keys: number;
  readonly rounds: number;
  readonly inFlight: number;
  readonly rows: DurableRow[];
}

/** Runs the durable section in `settings.workDir/durable`. */
export async function runDurable(settings: Settings, log: Log): Promise<DurableResult> {
  const { keys, rounds, inFlight, budget } = settings.durable;
  const root = join(settings.workDir, 'durable');
  const opened: Array<{ kind: string; synced?: DurableContender; unsynced: DurableContender }> = [];
  for (const [n, kind] of DURABLE_KINDS.entries()) {
    log.note(`durable: opening ${kind.name} (${keys} documents)`);
    const unsynced = await kind.open(join(root, `${n}-nofsync`), keys, false);
    const synced = kind.canFsync ? await kind.open(join(root, `${n}-fsync`), keys, true) : undefined;
    opened.push({ kind: kind.name, unsynced, ...(synced ? { synced } : {}) });
  }
  const cases: Case[] = opened.flatMap(({ kind, synced, unsynced }) => [
    ...(synced
      ? [
          { id: `write-sync-seq/${kind}`, inFlight: 1, start: synced.put },
          { id: `write-sync-many/${kind}`, inFlight, start: synced.put },
        ]
      : []),
    { id: `write-seq/${kind}`, inFlight: 1, start: unsynced.put },
    { id: `write-many/${kind}`, inFlight, start: unsynced.put },
    { id: `read-seq/${kind}`, inFlight: 1, start: unsynced.get },
    { id: `read-many/${kind}`, inFlight, start: unsynced.get },
  ]);
  const total = cases.length * (rounds + 1);
  let step = 0;
  const measured = await interleave(cases, rounds, budget, () => log.progress('durable', ++step, total));
  for (const { synced, unsynced } of opened) {
    await synced?.close();
    await unsynced.close();
  }
  rmSync(root, { recursive: true, force: true });
  const m = new Map(measured.map((x) => [x.id, x]));
  const rows = opened.map(({ kind }): DurableRow => {
    const ss = m.get(`write-sync-seq/${kind}`);
    const sm = m.get(`write-sync-many/${kind}`);
    return {
      name: kind,
      ...(ss ? { writeSyncSeq: ss } : {}),
      ...(sm ? { writeSyncMany: sm } : {}),
      writeSeq: m.get(`write-seq/${kind}`)!,
      writeMany: m.get(`write-many/${kind}`)!,
      readSeq: m.get(`read-seq/${kind}`)!,
      readMany: m.get(`read-many/${kind}`)!,
    };
  });
  return { keys, rounds, inFlight, rows };
}
