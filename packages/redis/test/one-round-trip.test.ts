/**
 * `assoc` and `dissoc` in one round trip (docs/redis.md, "Blind writes in one round trip"): an
 * uncontended `assoc` (`dissoc`) is one script call that writes (deletes) and publishes its change
 * notice; while another process holds the key's lock it does nothing and waits for the lock like
 * any write. A `dissoc` of a key that may have expired takes the locked path. Commands are
 * observed with MONITOR on a second connection, each test ending its watch at a marker command,
 * so nothing depends on timing.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createStore, type Store, type StoreOptions, type WriteEvent } from '@konserve-rx/core';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { filter, firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { connectRedisStore, redisBacking, type RedisBacking } from '@konserve-rx/redis';
import { names, recordCommands as recordWith } from './helpers/monitor';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
const opened: Store[] = [];
const clients: Redis[] = [];
/** Backings standing in for another process: closed in afterAll also when a test failed early. */
const others: RedisBacking[] = [];
const prefix = (): string => `w${randomBytes(6).toString('hex')}:`;

async function store(p: string, options?: StoreOptions): Promise<Store> {
  const s = options === undefined ? await firstValueFrom(connectRedisStore({ url: server.url, prefix: p })) : await storeWith(p, options);
  opened.push(s);
  return s;
}

async function storeWith(p: string, options: StoreOptions): Promise<Store> {
  const backing = redisBacking({ url: server.url, prefix: p });
  await backing.ready();
  return createStore(backing, options);
}

async function client(): Promise<Redis> {
  const c = new Redis(server.url, { lazyConnect: true });
  clients.push(c);
  await c.connect();
  return c;
}

const recordCommands = (): ReturnType<typeof recordWith> => recordWith(client);

/** The blob id of the only blob under `p` whose Redis key `write` adds. */
async function addedId(p: string, write: () => Promise<unknown>): Promise<string> {
  const r = await client();
  const before = new Set(await r.keys(`${p}b:*`));
  await write();
  const added = (await r.keys(`${p}b:*`)).filter((k) => !before.has(k));
  expect(added).toHaveLength(1);
  return added[0]!.slice(`${p}b:`.length);
}

/**
 * Subscribes to `op` (a write of blob `id` under prefix `p`) while another owner (a backing of its
 * own, as another process would have) holds the blob's lock; once `op` asks for that lock (SET
 * <lock> <token> PX ttl NX), runs `whileHeld`, then releases the lock.
 * @returns what `op` emitted last, and the names of the commands that touched the blob or its lock
 */
async function underAnotherLock<T>(p: string, id: string, op: Observable<T>, whileHeld: () => Promise<void>): Promise<{ result: T; touching: string[] }> {
  const [blobKey, lockKey] = [`${p}b:${id}`, `${p}l:${id}`];
  const other = redisBacking({ url: server.url, prefix: p, shareChanges: false });
  others.push(other);
  const release = await other.lock!(id);
  try {
    const recording = await recordCommands();
    const done = lastValueFrom(op);
    while (!recording.seen.some((c) => c[0]!.toLowerCase() === 'set' && c[1] === lockKey)) await new Promise((resolve) => setTimeout(resolve, 5));
    await whileHeld();
    await release();
    const result = await done;
    return { result, touching: names((await recording.stop()).filter((c) => c.includes(blobKey) || c.includes(lockKey))) };
  } finally {
    // idempotent: also stops the lease renewal when an expectation failed
    await release();
  }
}

describeRedis('redis assoc and dissoc in one round trip', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const s of opened) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    for (const b of others) await b.close!();
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  it('an uncontended assoc is one EVALSHA that writes the blob and publishes the notice: no lock, no separate PUBLISH', async () => {
    const s = await store(prefix());
    // the first call loads the script (NOSCRIPT, then EVAL); measured from the second on
    await lastValueFrom(s.assoc('warm', 0));
    const recording = await recordCommands();
    const meta = await lastValueFrom(s.assoc('k', { n: 1 }));
    const commands = await recording.stop();
    expect(names(commands)).toEqual(['evalsha']);
    expect(meta.type).toBe('value');
    expect(await firstValueFrom(s.get('k'))).toEqual({ n: 1 });
  });

  it('another store on the prefix hears the assoc once, from the notice the script published', async () => {
    const p = prefix();
    const writer = await store(p);
    const reader = await store(p);
    const events = firstValueFrom(reader.changes().pipe(take(3), toArray()));
    await lastValueFrom(writer.assoc('before', 0));
    await lastValueFrom(writer.assoc('k', 'one'));
    // a second write as the end marker: had the first been published twice, its copy would come first
    await lastValueFrom(writer.assoc('end', 'two'));
    expect((await events).map((e) => [e.op, e.key, e.value])).toEqual([
      ['assoc', 'before', 0],
      ['assoc', 'k', 'one'],
      ['assoc', 'end', 'two'],
    ]);
  });

  it('while another process holds the lock, assoc writes nothing, waits for the lock, then writes', async () => {
    const p = prefix();
    const s = await store(p);
    const id = await addedId(p, () => lastValueFrom(s.assoc('k', 'old')));
    const r = await client();
    const old = await r.getBuffer(`${p}b:${id}`);
    // the one-step write was refused: nothing written by the time the assoc asks for the lock
    const { touching } = await underAnotherLock(p, id, s.assoc('k', 'new'), async () => expect(await r.getBuffer(`${p}b:${id}`)).toEqual(old));
    expect(await firstValueFrom(s.get('k'))).toBe('new');
    expect(touching[0]).toBe('evalsha');
  });

  it('an uncontended dissoc of a value is one EVALSHA that deletes the blob and publishes the notice: no lock, no read', async () => {
    const s = await store(prefix());
    // the first call loads the script (NOSCRIPT, then EVAL); measured from the second on
    await lastValueFrom(s.dissoc('warm'));
    await lastValueFrom(s.assoc('k', { n: 1 }));
    const recording = await recordCommands();
    const existed = await lastValueFrom(s.dissoc('k'));
    expect(names(await recording.stop())).toEqual(['evalsha']);
    expect(existed).toBe(true);
    expect(await firstValueFrom(s.exists('k'))).toBe(false);
  });

  it('a dissoc of a missing key is one command, emits false, and no store hears of it', async () => {
    const p = prefix();
    const s = await store(p);
    const other = await store(p);
    await lastValueFrom(s.dissoc('warm'));
    const local = firstValueFrom(s.changes());
    const remote = firstValueFrom(other.changes());
    const recording = await recordCommands();
    expect(await lastValueFrom(s.dissoc('nothing'))).toBe(false);
    expect(names(await recording.stop())).toEqual(['evalsha']);
    // an assoc as the end marker: the first event each store hears is its
    await lastValueFrom(s.assoc('end', 1));
    expect([(await local).op, (await remote).op]).toEqual(['assoc', 'assoc']);
  });

  it('while another process holds the lock, dissoc deletes nothing, waits for the lock, then deletes', async () => {
    const p = prefix();
    const s = await store(p);
    const id = await addedId(p, () => lastValueFrom(s.assoc('k', 'old')));
    const r = await client();
    // the one-step delete was refused: the blob is there when the dissoc asks for the lock
    const { result, touching } = await underAnotherLock(p, id, s.dissoc('k'), async () => expect(await r.exists(`${p}b:${id}`)).toBe(1));
    expect(result).toBe(true);
    expect(await r.exists(`${p}b:${id}`)).toBe(0);
    expect(touching[0]).toBe('evalsha');
  });

  it('a dissoc of a key that expires takes the lock (its expiry needs the store clock)', async () => {
    const p = prefix();
    const s = await store(p);
    const id = await addedId(p, () => lastValueFrom(s.assoc('k', 1, { ttl: 60_000 })));
    const recording = await recordCommands();
    expect(await lastValueFrom(s.dissoc('k'))).toBe(true);
    const commands = await recording.stop();
    // declined by the script, then the locked path
    expect(names(commands)[0]).toBe('evalsha');
    expect(commands.some((c) => c[0]!.toLowerCase() === 'set' && c[1] === `${p}l:${id}`)).toBe(true);
    expect(await (await client()).keys(`${p}b:*`)).toEqual([]);
  });

  it('a dissoc of an expired key emits false, removes its blob, and no store hears of it', async () => {
    const p = prefix();
    let now = Date.now();
    const s = await store(p, { now: () => now });
    const other = await store(p);
    await lastValueFrom(s.assoc('k', 1, { ttl: 1000 }));
    now += 2000;
    const local = firstValueFrom(s.changes());
    const remote = firstValueFrom(other.changes());
    expect(await lastValueFrom(s.dissoc('k'))).toBe(false);
    expect(await (await client()).keys(`${p}b:*`)).toEqual([]);
    await lastValueFrom(s.assoc('end', 1));
    expect([(await local).op, (await remote).op]).toEqual(['assoc', 'assoc']);
  });

  it('a dissoc of an append log in one step deletes the head, then every element blob', async () => {
    const p = prefix();
    const s = await store(p);
    await lastValueFrom(s.dissoc('warm'));
    for (const n of [0, 1, 2]) await lastValueFrom(s.append('log', n));
    const r = await client();
    expect(await r.keys(`${p}b:*`)).toHaveLength(4);
    const recording = await recordCommands();
    expect(await lastValueFrom(s.dissoc('log'))).toBe(true);
    const commands = names(await recording.stop());
    expect(commands[0]).toBe('evalsha');
    // no lock was taken: the script deleted the head, the elements went after it
    expect(commands).not.toContain('set');
    expect(await r.keys(`${p}b:*`)).toEqual([]);
    expect(await firstValueFrom(s.log('log').pipe(toArray()))).toEqual([]);
  });

  it('a dissoc of a large value does not carry the value back: the script returns its header and meta', async () => {
    const p = prefix();
    const s = await store(p);
    await lastValueFrom(s.dissoc('warm'));
    await lastValueFrom(s.assoc('big', 'x'.repeat(1_000_000), { meta: { source: 'big' } }));
    const r = await client();
    const sent = async (): Promise<number> => Number(/total_net_output_bytes:(\d+)/.exec(await r.info('stats'))![1]);
    const local = firstValueFrom(s.changes().pipe(filter((e) => e.op === 'dissoc')));
    const before = await sent();
    expect(await lastValueFrom(s.dissoc('big'))).toBe(true);
    // the server's output while deleting: the script's reply and the notice, far below the 1 MB value
    expect((await sent()) - before).toBeLessThan(50_000);
    expect((await local).meta).toMatchObject({ key: 'big', type: 'value', source: 'big' });
    expect(await r.keys(`${p}b:*`)).toEqual([]);
  });

  it('another store hears the deletion with the Meta the deleting store reports: key, type, user meta, time of deletion', async () => {
    const p = prefix();
    let now = Date.now();
    const writer = await store(p, { now: () => now });
    const reader = await store(p);
    // three lengths of meta: every base64 padding of the script's encoder
    for (const source of ['x', 'xx', 'xxx']) {
      const key = { user: source.length };
      await lastValueFrom(writer.assoc(key, 'v', { meta: { source } }));
      // deleted a minute after it was written: the blob's meta holds the write's time, not this one
      now += 60_000;
      const deletion = (s: Store): Promise<WriteEvent> => firstValueFrom(s.changes().pipe(filter((e) => e.op === 'dissoc')));
      const local = deletion(writer);
      const remote = deletion(reader);
      expect(await lastValueFrom(writer.dissoc(key))).toBe(true);
      const [l, r] = [(await local).meta, (await remote).meta];
      expect(r).toEqual(l);
      expect(l).toEqual({ key, type: 'value', source, lastWrite: new Date(now) });
    }
  });
});
