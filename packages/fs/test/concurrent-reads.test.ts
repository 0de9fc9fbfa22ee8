/**
 * Head-only reads (`keys()`, `getMeta`, `exists`) racing a writer in another process: a reader
 * sees one version of each blob, so a rewrite whose meta changes size between two of the
 * reader's system calls never looks like damage (`ERR_CORRUPT` means damaged bytes only).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { isKonserveError, type Store } from '@konserve-rx/core';
import { connectFileStore } from '@konserve-rx/fs';
import { ensureBuilt, startChild } from './helpers/children';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const KEYS = 3;
/** Rounds of reads; each round reads every key three ways. A count, not a duration. */
const ROUNDS = 200;

/** The codes of every failed read among `keys()`, `getMeta` and `exists` of each key, once. */
async function readRound(store: Store): Promise<string[]> {
  const reads: Promise<unknown>[] = [lastValueFrom(store.keys().pipe(toArray()))];
  for (let k = 0; k < KEYS; k++) reads.push(firstValueFrom(store.getMeta(`k${k}`)), firstValueFrom(store.exists(`k${k}`)));
  const settled = await Promise.allSettled(reads);
  return settled.flatMap((s) => (s.status === 'rejected' ? [isKonserveError(s.reason) ? s.reason.code : String(s.reason)] : []));
}

describe('fs: reads racing a writer process', () => {
  beforeAll(ensureBuilt, 120_000);

  it('keys(), getMeta and exists never fail (no ERR_CORRUPT) while another process rewrites metas between small and >1 KiB', async () => {
    const path = tempDir();
    const writer = startChild('meta-rewriter.js', [path, String(KEYS)]);
    await writer.waitFor('writing');
    const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
    const failures: string[] = [];
    // the writer runs from before the first round until after the last: every round races it
    for (let round = 0; round < ROUNDS; round++) failures.push(...(await readRound(store)));
    writer.send('stop');
    const exit = await writer.done;
    await lastValueFrom(store.close(), { defaultValue: undefined });
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(failures).toEqual([]);
  }, 120_000);
});
