/**
 * Property-based tests (fast-check) over the Redis backing: random sequences of Store operations
 * give the same results as the reference model, as on memory and fs (the same properties, from
 * test-support/model-properties.ts).
 * - sequential: after every step, every key's value / log / binary, `exists` and `keys()` are
 *   compared through a second, independent connection (`runWorkload` with `verifyEachStep`);
 * - concurrent: batches of operations are subscribed all at once, and each result must equal the
 *   model applied in subscription order (the per-key order guarantee), here with every write also
 *   taking its Redis lock and every command a network round trip.
 * One private redis-server for the file; each run gets a fresh random key prefix on it.
 * Fixed seeds make every run replay; on failure fast-check prints the seed, the path and the
 * shrunk counterexample (`fc.assert(..., { seed, path })` replays it).
 */
import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { createStore } from '@konserve-rx/core';
import { redisBacking } from '@konserve-rx/redis';
import { modelProperties, type ModelSubject } from '../../../test-support/model-properties';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;

/** A store over a fresh prefix, and a second store over its own connection to the same prefix: what really reached the server. */
async function open(): Promise<ModelSubject> {
  const prefix = `p${randomBytes(6).toString('hex')}:`;
  const backing = redisBacking({ url: server.url, prefix });
  const cleanBacking = redisBacking({ url: server.url, prefix, shareChanges: false });
  await Promise.all([backing.ready(), cleanBacking.ready()]);
  const store = createStore(backing);
  const clean = createStore(cleanBacking);
  return { store, clean, close: async () => void (await Promise.all([lastValueFrom(store.close()), lastValueFrom(clean.close())])) };
}

describeRedis('property: redis behaves like the model', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  modelProperties(open, { seed: 20261124, sequentialRuns: 60, concurrentRuns: 50, through: ', through another connection' });
});
