/**
 * Section "memory": get and assoc of each document, every memory contender side by side, each in
 * a process of its own (see `isolated.ts`), measured per CPU second of that process.
 */
import { MEMORY_CONTENDERS } from '../contenders/memory';
import { DOC_NAMES, documentBytes, type DocName } from '../fixture';
import { interleave, type Measured } from '../harness';
import { spawnContender, type IsolatedContender } from '../isolated';
import type { Settings } from '../settings';
import type { Log } from './log';

/** One contender's get and assoc throughput. */
export interface MemoryRow {
  readonly name: string;
  readonly get: Measured;
  readonly assoc: Measured;
}

/** The rows of one document. */
export interface MemoryDocResult {
  readonly doc: DocName;
  /** The document's size as CBOR. */
  readonly bytes: number;
  readonly rows: MemoryRow[];
}

/** The memory section's result. */
export interface MemoryResult {
  readonly keys: number;
  readonly rounds: number;
  /** One entry per document, in {@link DOC_NAMES} order. */
  readonly documents: MemoryDocResult[];
}

/** Runs the memory section: each document in turn, its contenders' processes alive together. */
export async function runMemory(settings: Settings, log: Log): Promise<MemoryResult> {
  const { keys, rounds, budget } = settings.memory;
  const documents: MemoryDocResult[] = [];
  const total = DOC_NAMES.length * MEMORY_CONTENDERS.length * 2 * (rounds + 1);
  let step = 0;
  for (const doc of DOC_NAMES) {
    const contenders: IsolatedContender[] = [];
    try {
      for (const name of MEMORY_CONTENDERS) contenders.push(await spawnContender({ section: 'memory', name, keys, doc }));
      const cases = contenders.flatMap((c, n) => [c.caseOf(`get/${MEMORY_CONTENDERS[n]}`, 'get', 1), c.caseOf(`assoc/${MEMORY_CONTENDERS[n]}`, 'put', 1)]);
      const measured = await interleave(cases, rounds, budget, () => log.progress('memory', ++step, total), 'cpu');
      const byId = new Map(measured.map((m) => [m.id, m]));
      const rows = MEMORY_CONTENDERS.map((name) => ({ name, get: byId.get(`get/${name}`)!, assoc: byId.get(`assoc/${name}`)! }));
      documents.push({ doc, bytes: documentBytes(doc), rows });
    } finally {
      await Promise.all(contenders.map((c) => c.close()));
    }
  }
  return { keys, rounds, documents };
}
