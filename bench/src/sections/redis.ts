/**
 * Section "redis": konserve-rx's Redis store (as configured by default, and without change
 * sharing) against "the raw limit" (ioredis SET/GET of the same
 * CBOR-encoded 1 KB document, nothing else) on one private redis-server started for the run (AOF
 * on), writes and reads, sequential and many in flight, first with `appendfsync everysec` (Redis's
 * default), then with `appendfsync always` (set with CONFIG SET). Skipped, with the reason in the
 * result, when no redis-server binary runs here. The server and its folder are removed at the
 * end, also when a measurement fails.
 */
import { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { connectRedisStore } from '@konserve-rx/redis';
import type { Contender } from '../contenders/contender';
import { cbor, DOC, keyOf, slot } from '../fixture';
import { interleave, observed, promised, type Case, type Measured } from '../harness';
import { redisUnavailable, startRedisServer, type RedisServer } from '@konserve-rx/redis/testing';
import type { Settings } from '../settings';
import type { Log } from './log';

/** The AOF fsync policies measured, in run order. */
export const APPENDFSYNC = ['everysec', 'always'] as const;
export type AppendFsync = (typeof APPENDFSYNC)[number];

/** One contender under one appendfsync policy. */
export interface RedisRow {
  readonly name: string;
  readonly appendfsync: AppendFsync;
  readonly writeSeq: Measured;
  readonly writeMany: Measured;
  readonly readSeq: Measured;
  readonly readMany: Measured;
}

/** The redis section's result; `skipped` (and no rows) when it could not run here. */
export interface RedisResult {
  /** Why the section did not run (no redis-server binary), absent when it ran. */
  readonly skipped?: string;
  /** The server's version line. */
  readonly server?: string;
  readonly keys: number;
  readonly rounds: number;
  readonly inFlight: number;
  readonly rows: RedisRow[];
}

/** The name of konserve-rx's row. */
export const KONSERVE_REDIS = 'konserve-rx redis';
/** The name of konserve-rx's row without change sharing (no PUBLISH per write, no subscriber). */
export const KONSERVE_REDIS_UNSHARED = 'konserve-rx redis, shareChanges: false';
/** The name of the raw limit's row. */
export const RAW_REDIS = 'raw limit (ioredis SET/GET + cbor)';

/** Runs the redis section on a private redis-server, or reports why it was skipped. */
export async function runRedis(settings: Settings, log: Log): Promise<RedisResult> {
  const { keys, rounds, inFlight, budget } = settings.redis;
  const skipped = redisUnavailable();
  if (skipped !== undefined) {
    log.note(`redis: Redis rows skipped: ${skipped}`);
    return { skipped, keys, rounds, inFlight, rows: [] };
  }
  log.note(`redis: starting a private redis-server (${keys} documents)`);
  const server = await startRedisServer();
  let raw: RawRedis | undefined;
  const stores: Store[] = [];
  try {
    raw = await openRaw(server, keys);
    const contenders: Contender[] = [];
    for (const [name, options] of [
      [KONSERVE_REDIS, { prefix: 'bench:' }],
      [KONSERVE_REDIS_UNSHARED, { prefix: 'unshared:', shareChanges: false }],
    ] as const) {
      const store = await firstValueFrom(connectRedisStore({ url: server.url, ...options }));
      stores.push(store);
      await preloadStore(store, keys);
      contenders.push(storeContender(name, store, keys));
    }
    contenders.push(raw);
    const total = APPENDFSYNC.length * 4 * contenders.length * (rounds + 1);
    let step = 0;
    const m = new Map<string, Measured>();
    for (const policy of APPENDFSYNC) {
      await setAppendFsync(raw.client, policy);
      const cases: Case[] = contenders.flatMap((c) => [
        { id: `write-seq/${c.name}/${policy}`, inFlight: 1, start: c.put },
        { id: `write-many/${c.name}/${policy}`, inFlight, start: c.put },
        { id: `read-seq/${c.name}/${policy}`, inFlight: 1, start: c.get },
        { id: `read-many/${c.name}/${policy}`, inFlight, start: c.get },
      ]);
      for (const x of await interleave(cases, rounds, budget, () => log.progress('redis', ++step, total))) m.set(x.id, x);
    }
    const rows = APPENDFSYNC.flatMap((policy) =>
      [KONSERVE_REDIS, KONSERVE_REDIS_UNSHARED, RAW_REDIS].map((name): RedisRow => ({
        name,
        appendfsync: policy,
        writeSeq: m.get(`write-seq/${name}/${policy}`)!,
        writeMany: m.get(`write-many/${name}/${policy}`)!,
        readSeq: m.get(`read-seq/${name}/${policy}`)!,
        readMany: m.get(`read-many/${name}/${policy}`)!,
      })),
    );
    return { server: server.version, keys, rounds, inFlight, rows };
  } finally {
    for (const store of stores) await firstValueFrom(store.close()).catch(() => undefined);
    await raw?.close();
    await server.stop();
  }
}

/** The raw limit: its own ioredis client, keys under `raw:`, the document encoded per write and decoded per read. */
interface RawRedis extends Contender {
  readonly client: Redis;
}

async function openRaw(server: RedisServer, keys: number): Promise<RawRedis> {
  const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  await client.connect();
  const rawKey = (i: number): string => `raw:${keyOf(slot(i, keys))}`;
  const c: RawRedis = {
    name: RAW_REDIS,
    client,
    put: promised((i) => client.set(rawKey(i), cbor.encode(DOC))),
    get: promised(async (i) => {
      const bytes = await client.getBuffer(rawKey(i));
      if (bytes === null) throw new Error(`raw redis: ${rawKey(i)} is missing`);
      return cbor.decode(bytes);
    }),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
  for (let k = 0; k < keys; k += 500) {
    const batch = client.pipeline();
    for (let j = k; j < Math.min(keys, k + 500); j++) batch.set(`raw:${keyOf(j)}`, cbor.encode(DOC));
    await batch.exec();
  }
  return c;
}

async function preloadStore(store: Store, keys: number): Promise<void> {
  for (let k = 0; k < keys; k += 500) {
    await firstValueFrom(store.multiAssoc(Array.from({ length: Math.min(500, keys - k) }, (_, j) => [keyOf(k + j), DOC] as const)));
  }
}

function storeContender(name: string, store: Store, keys: number): Contender {
  return {
    name,
    get: observed((i) => store.get(keyOf(slot(i, keys)))),
    put: observed((i) => store.assoc(keyOf(slot(i, keys)), DOC)),
    close: () => firstValueFrom(store.close()),
  };
}

/** Sets the server's AOF fsync policy and checks that it took. */
async function setAppendFsync(client: Redis, policy: AppendFsync): Promise<void> {
  await client.config('SET', 'appendfsync', policy);
  const reply = (await client.config('GET', 'appendfsync')) as unknown as string[];
  if (reply[1] !== policy) throw new Error(`CONFIG SET appendfsync ${policy} did not take: ${JSON.stringify(reply)}`);
}
