/**
 * The rule for flipped bits that did not fail a step: a step that succeeded although a bit was
 * flipped during it is fine only when the flip could not reach its result.
 */
import { HEADER_SIZE, type BackingStore } from '@konserve-rx/core';
import type { WorkloadStep } from './check';

/**
 * Checks a workload step against the flipped-bit rule: when it succeeded although a bit of a
 * read was flipped, the flip must be one that could not reach a result, namely a head-only read
 * (`readHead`: exists, getMeta, keys) damaged past the header and meta it uses (or of a blob
 * that is gone), or any flip during `dissoc`/`multiDissoc` (a key whose head is damaged stays
 * removable). Call it from `runWorkload`'s `onStep`, which waits for it.
 * @param step - the step, as `onStep` reports it
 * @param inner - the backing under the faulty one, to read the stored (undamaged) bytes
 * @returns a description of the problem, or `undefined` when the step is fine
 * @example
 * ```ts
 * const problems: string[] = [];
 * await runWorkload({ store, clean, faults: backing.faults, ops,
 *   onStep: async (step) => { const p = await unexplainedFlip(step, inner); if (p) problems.push(p); } });
 * ```
 */
export async function unexplainedFlip(step: WorkloadStep, inner: BackingStore): Promise<string | undefined> {
  if (!step.outcome.ok) return undefined;
  for (const f of step.injected) {
    if (f.kind !== 'bitflip') continue;
    if (step.op.op === 'dissoc' || step.op.op === 'multiDissoc') continue;
    if (f.op === 'readHead') {
      const stored = await inner.read(f.id!);
      // header + meta, whose length is the u32 LE at byte 8; a deleted blob was not used either
      if (stored === undefined || f.byte >= HEADER_SIZE + new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getUint32(8, true)) continue;
    }
    return `step ${step.index} ${step.op.op} succeeded although byte ${f.byte} of a ${f.op} was flipped`;
  }
  return undefined;
}
