/**
 * Section "durable": writes (fsync on and off, sequential and many in flight) and reads
 * (sequential and many in flight) of each document, every durable contender side by side, each
 * store in a process of its own (see `isolated.ts`).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DURABLE_KINDS } from '../contenders/durable';
import { DOC_NAMES, documentBytes, type DocName } from '../fixture';
import { interleave, type AnyCase, type Measured } from '../harness';
import { spawnContender, type IsolatedContender } from '../isolated';
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

/** The rows of one document. */
export interface DurableDocResult {
  readonly doc: DocName;
  /** The document's size as CBOR. */
  readonly bytes: number;
  readonly rows: DurableRow[];
}

/** The durable section's result. */
export interface DurableResult {
  readonly keys: number;
  readonly rounds: number;
  readonly inFlight: number;
  /** One entry per document, in {@link DOC_NAMES} order. */
  readonly documents: DurableDocResult[];
}

/** Runs the durable section in `settings.workDir/durable`, each document in turn. */
export async function runDurable(settings: Settings, log: Log): Promise<DurableResult> {
  const documents: DurableDocResult[] = [];
  const total = DOC_NAMES.length * casesPerDoc(settings.durable.rounds);
  const progress = { step: 0, total };
  for (const doc of DOC_NAMES) documents.push(await runDocument(settings, doc, log, progress));
  const { keys, rounds, inFlight } = settings.durable;
  return { keys, rounds, inFlight, documents };
}

function casesPerDoc(rounds: number): number {
  return DURABLE_KINDS.reduce((n, k) => n + (k.canFsync ? 6 : 4), 0) * (rounds + 1);
}

async function runDocument(settings: Settings, doc: DocName, log: Log, progress: { step: number; total: number }): Promise<DurableDocResult> {
  const { keys, rounds, inFlight, budget } = settings.durable;
  const root = join(settings.workDir, 'durable', doc);
  const children: IsolatedContender[] = [];
  const spawn = async (kind: string, dir: string, fsync: boolean): Promise<IsolatedContender> => {
    const c = await spawnContender({ section: 'durable', kind, dir, keys, fsync, doc });
    children.push(c);
    return c;
  };
  try {
    const cases: AnyCase[] = [];
    for (const [n, kind] of DURABLE_KINDS.entries()) {
      log.note(`durable: opening ${kind.name} (${keys} ${doc} documents)`);
      const unsynced = await spawn(kind.name, join(root, `${n}-nofsync`), false);
      if (kind.canFsync) {
        const synced = await spawn(kind.name, join(root, `${n}-fsync`), true);
        cases.push(synced.caseOf(`write-sync-seq/${kind.name}`, 'put', 1), synced.caseOf(`write-sync-many/${kind.name}`, 'put', inFlight));
      }
      cases.push(
        unsynced.caseOf(`write-seq/${kind.name}`, 'put', 1),
        unsynced.caseOf(`write-many/${kind.name}`, 'put', inFlight),
        unsynced.caseOf(`read-seq/${kind.name}`, 'get', 1),
        unsynced.caseOf(`read-many/${kind.name}`, 'get', inFlight),
      );
    }
    const measured = await interleave(cases, rounds, budget, () => log.progress('durable', ++progress.step, progress.total));
    const m = new Map(measured.map((x) => [x.id, x]));
    const rows = DURABLE_KINDS.map(({ name }): DurableRow => {
      const ss = m.get(`write-sync-seq/${name}`);
      const sm = m.get(`write-sync-many/${name}`);
      return {
        name,
        ...(ss ? { writeSyncSeq: ss } : {}),
        ...(sm ? { writeSyncMany: sm } : {}),
        writeSeq: m.get(`write-seq/${name}`)!,
        writeMany: m.get(`write-many/${name}`)!,
        readSeq: m.get(`read-seq/${name}`)!,
        readMany: m.get(`read-many/${name}`)!,
      };
    });
    return { doc, bytes: documentBytes(doc), rows };
  } finally {
    await Promise.all(children.map((c) => c.close()));
    rmSync(root, { recursive: true, force: true });
  }
}
