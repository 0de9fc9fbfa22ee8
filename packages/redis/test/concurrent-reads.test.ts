/**
 * Head-only reads (`keys()`, `getMeta`, `exists`) racing a writer process on the same Redis store:
 * a reader sees one version of each blob, so a rewrite whose meta changes size, or a key that
 * vanishes and comes back, between two of the reader's commands never looks like damage
 * (`ERR_CORRUPT` means damaged bytes only).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { raceHeadReads } from '../../../test-support/head-reads';
import { randomBytes } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { connectRedisStore } from '@konserve-rx/redis';
import { ensureBuilt, startChild } from './helpers/children';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
const KEYS = 3;
/** Rounds of reads; each round reads every key three ways (test-support/head-reads.ts). */
const ROUNDS = 200;

describeRedis('redis: reads racing a writer process', () => {
  beforeAll(async () => {
    ensureBuilt();
    server = await startRedisServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('keys(), getMeta and exists never fail (no ERR_CORRUPT) while another process rewrites metas between small and >1 KiB', async () => {
    const prefix = `r${randomBytes(6).toString('hex')}:`;
    const writer = startChild('meta-rewriter.js', [server.url, prefix, String(KEYS)]);
    await writer.waitFor('writing');
    const store = await firstValueFrom(connectRedisStore({ url: server.url, prefix }));
    const { failures, exit } = await raceHeadReads(store, writer, ROUNDS, KEYS);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(failures).toEqual([]);
  }, 120_000);
});
