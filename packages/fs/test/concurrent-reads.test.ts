/**
 * Head-only reads (`keys()`, `getMeta`, `exists`) racing a writer in another process: a reader
 * sees one version of each blob, so a rewrite whose meta changes size between two of the
 * reader's system calls never looks like damage (`ERR_CORRUPT` means damaged bytes only).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { raceHeadReads } from '../../../test-support/head-reads';
import { connectFileStore } from '@konserve-rx/fs';
import { ensureBuilt, startChild } from './helpers/children';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const KEYS = 3;
/** Rounds of reads; each round reads every key three ways (test-support/head-reads.ts). */
const ROUNDS = 200;

describe('fs: reads racing a writer process', () => {
  beforeAll(ensureBuilt, 120_000);

  it('keys(), getMeta and exists never fail (no ERR_CORRUPT) while another process rewrites metas between small and >1 KiB', async () => {
    const path = tempDir();
    const writer = startChild('meta-rewriter.js', [path, String(KEYS)]);
    await writer.waitFor('writing');
    const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
    const { failures, exit } = await raceHeadReads(store, writer, ROUNDS, KEYS);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(failures).toEqual([]);
  }, 120_000);
});
