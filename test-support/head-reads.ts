/**
 * The reading side of the concurrent-reads tests (fs, redis): head-only reads (`keys()`,
 * `getMeta`, `exists`) of the keys `k0..k<keys-1>` that `meta-rewriter.js` keeps rewriting.
 */
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { isKonserveError, type Store } from '@konserve-rx/core';
import type { Child, ChildExit } from './children';

/** The codes of every failed read among `keys()`, `getMeta` and `exists` of each key, once. */
async function readRound(store: Store, keys: number): Promise<string[]> {
  const reads: Promise<unknown>[] = [lastValueFrom(store.keys().pipe(toArray()))];
  for (let k = 0; k < keys; k++) reads.push(firstValueFrom(store.getMeta(`k${k}`)), firstValueFrom(store.exists(`k${k}`)));
  const settled = await Promise.allSettled(reads);
  return settled.flatMap((s) => (s.status === 'rejected' ? [isKonserveError(s.reason) ? s.reason.code : String(s.reason)] : []));
}

/**
 * Reads `rounds` rounds (a count, not a duration) while `writer` (already writing) rewrites, then
 * stops it and closes `store`.
 * @returns the codes of the failed reads, and how the writer ended
 */
export async function raceHeadReads(store: Store, writer: Child, rounds: number, keys: number): Promise<{ failures: string[]; exit: ChildExit }> {
  const failures: string[] = [];
  // the writer runs from before the first round until after the last: every round races it
  for (let round = 0; round < rounds; round++) failures.push(...(await readRound(store, keys)));
  writer.send('stop');
  const exit = await writer.done;
  await lastValueFrom(store.close(), { defaultValue: undefined });
  return { failures, exit };
}
