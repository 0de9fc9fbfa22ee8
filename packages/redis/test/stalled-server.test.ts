/**
 * A server that stops answering without closing the connection (frozen with SIGSTOP, as a hung
 * host or a suspended VM would be): every operation waiting on it fails with ERR_IO once
 * `commandTimeout` has passed, closing the store does not hang, and once the server runs again
 * each later operation gets its own reply (late replies go to the commands that already failed).
 * With the offline queue turned on, a command waiting for a lost server fails after the timeout too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import type { KonserveError, Store } from '@konserve-rx/core';
import { errorOf } from '@konserve-rx/core/testing';
import { connectRedisStore, type RedisStoreOptions } from '@konserve-rx/redis';
import { canFreeze, freeze, resume } from '../../../test-support/fencing';
import { retryFor } from '../../../test-support/retry';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

const TIMEOUT = 300;
let server: RedisServer;
const stores: Store[] = [];

async function open(options: Partial<RedisStoreOptions> = {}): Promise<Store> {
  const store = await firstValueFrom(
    connectRedisStore({ url: server.url, prefix: `s${randomBytes(6).toString('hex')}:`, commandTimeout: TIMEOUT, ...options }),
  );
  stores.push(store);
  return store;
}

/** The cause ERR_IO carries when the server did not answer in time. */
const SILENT = /^redis \S+ failed: the server stopped answering: no reply from the server for 300 ms \(commandTimeout\)$/;

function expectSilent(err: KonserveError): void {
  expect(err.code).toBe('ERR_IO');
  expect((err.cause as Error).message).toMatch(SILENT);
}

const describeFrozen = canFreeze ? describeRedis : (title: string, body: () => void) => describe.skip(`${title} (skipped: SIGSTOP needs Linux)`, body);

describeFrozen('redis backend with a server that stops answering', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    // a failed test must not leave the server frozen, or gone (ESRCH), for the next one
    try {
      resume(server.pid);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      await server.restart();
    }
  });
  afterAll(async () => {
    for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
  });

  it('fails every waiting operation with ERR_IO after commandTimeout, then serves correct replies once the server runs again', async () => {
    const store = await open();
    for (let i = 0; i < 10; i++) await firstValueFrom(store.assoc(`k${i}`, { i }));
    await freeze(server.pid);
    const t0 = performance.now();
    const failures = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => errorOf(store.get(`k${i}`))),
      errorOf(store.assoc('k0', { i: -1 })),
      errorOf(store.dissoc('k1')),
    ]);
    // no sooner than the timeout: the oldest command waited the whole of it
    expect(performance.now() - t0).toBeGreaterThanOrEqual(TIMEOUT - 1);
    for (const err of failures) expectSilent(err);

    // while it stays silent, a new operation fails too
    expectSilent(await errorOf(store.get('k2')));

    resume(server.pid);
    // the late replies to the failed commands are consumed in order: each new get reads its own key
    // (k0 and k1 may or may not carry the writes whose replies were lost)
    for (let i = 2; i < 10; i++) expect(await firstValueFrom(store.get(`k${i}`))).toEqual({ i });
    await firstValueFrom(store.assoc('k0', { i: 0 }));
    expect(await firstValueFrom(store.get('k0'))).toEqual({ i: 0 });
  });

  it('closes a store whose server is frozen: QUIT fails after commandTimeout instead of waiting forever', async () => {
    const store = await open();
    await firstValueFrom(store.assoc('a', 1));
    await freeze(server.pid);
    await lastValueFrom(store.close(), { defaultValue: undefined });
    resume(server.pid);
  });

  it('with the offline queue turned on, a command waiting for a lost server still fails with ERR_IO after commandTimeout', async () => {
    const store = await open({ redisOptions: { enableOfflineQueue: true, maxRetriesPerRequest: null } });
    await firstValueFrom(store.assoc('a', 1));
    await server.kill();
    try {
      const err = await errorOf(store.get('a'));
      expect(err.code).toBe('ERR_IO');
      expect((err.cause as Error).message).toMatch(/timed out/);
    } finally {
      await server.restart();
    }
    // once the server is back, the store serves again
    await retryFor(5_000, async () => expect(await firstValueFrom(store.get('a'))).toBe(1));
  });

  it('refuses a commandTimeout that is not a positive number of milliseconds with ERR_INVALID_ARGUMENT', async () => {
    for (const commandTimeout of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const err = await errorOf(connectRedisStore({ url: server.url, commandTimeout }));
      expect(err.code).toBe('ERR_INVALID_ARGUMENT');
      expect(err.message).toMatch(/commandTimeout is a finite number of milliseconds above 0/);
    }
  });
});
