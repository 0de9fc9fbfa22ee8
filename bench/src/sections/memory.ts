/** Section "memory": get and assoc of the 1 KB document, every memory contender side by side. */
import { memoryContenders } from '../contenders/memory';
import { interleave, type Measured } from '../harness';
import type { Settings } from '../settings';
import type { Log } from './log';

/** One contender's get and assoc throughput. */
export interface MemoryRow {
  readonly name: string;
  readonly get: Measured;
  readonly assoc: Measured;
}

/** The memory section's result. */
export interface MemoryResult {
  readonly keys: number;
  readonly rounds: number;
  readonly rows: MemoryRow[];
}

/** Runs the memory section. */
export async function runMemory(settings: Settings, log: Log): Promise<MemoryResult> {
  const { keys, rounds, budget } = settings.memory;
  const contenders = await memoryContenders(keys);
  const cases = contenders.flatMap((c) => [
    { id: `get/${c.name}`, inFlight: 1, start: c.get },
    { id: `assoc/${c.name}`, inFlight: 1, start: c.put },
  ]);
  const total = cases.length * (rounds + 1);
  let step = 0;
  const measured = await interleave(cases, rounds, budget, () => log.progress('memory', ++step, total), 'cpu');
  for (const c of contenders) await c.close();
  const byId = new Map(measured.map((m) => [m.id, m]));
  return { keys, rounds, rows: contenders.map((c) => ({ name: c.name, get: byId.get(`get/${c.name}`)!, assoc: byId.get(`assoc/${c.name}`)! })) };
}
