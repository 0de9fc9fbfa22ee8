/**
 * Head-only reads (`keys()`, `getMeta`, `exists`) racing a writer process on the same Redis store:
 * a reader sees one version of each blob, so a rewrite whose meta changes size, or a key that
 * vanishes and comes back, between two of the reader's commands never looks like damage
 * (`ERR_CORRUPT` means damaged bytes only).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { isKonserveError, type Store } from '@konserve-rx/core';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { connectRedisStore } from '@konserve-rx/redis';
import { ensureBuilt, startChild } from './helpers/children';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
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
