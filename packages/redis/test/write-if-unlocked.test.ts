/**
 * `assoc` in one round trip (docs/redis.md, "Blind writes in one round trip"): an uncontended
 * `assoc` is one script call that writes and publishes its change notice; while another process
 * holds the key's lock it writes nothing and waits for the lock like any write. Commands are
 * observed with MONITOR on a second connection, each test ending its watch at a marker command,
 * so nothing depends on timing.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Store } from '@konserve-rx/core';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { connectRedisStore, redisBacking, type RedisBacking } from '@konserve-rx/redis';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;
const opened: Store[] = [];
const clients: Redis[] = [];
/** Backings standing in for another process: closed in afterAll also when a test failed early. */
const others: RedisBacking[] = [];
const prefix = (): string => `w${randomBytes(6).toString('hex')}:`;

async function store(p: string): Promise<Store> {
  const s = await firstValueFrom(connectRedisStore({ url: server.url, prefix: p }));
  opened.push(s);
  return s;
}

async function client(): Promise<Redis> {
  const c = new Redis(server.url, { lazyConnect: true });
  clients.push(c);
  await c.connect();
  return c;
}

/**
 * Starts recording the commands clients send (not those a script runs) in `seen` until `stop()`,
 * which sends a marker PING and resolves with what was recorded before it.
 */
async function recordCommands(): Promise<{ seen: readonly string[][]; stop: () => Promise<string[][]> }> {
  // connected before recording starts, so its handshake is not recorded
  const pinger = await client();
  const monitor = await (await client()).monitor();
  const seen: string[][] = [];
  let marked: (() => void) | undefined;
  const marker = `marker-${randomBytes(4).toString('hex')}`;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args[0]?.toLowerCase() === 'ping' && args[1] === marker) marked?.();
    else if (source !== 'lua') seen.push(args);
  });
  return {
    seen,
    stop: async () => {
      const done = new Promise<void>((resolve) => (marked = resolve));
      await pinger.ping(marker);
      await done;
      monitor.disconnect();
      return seen;
    },
  };
}

const names = (commands: string[][]): string[] => commands.map((c) => c[0]!.toLowerCase());

describeRedis('redis assoc in one round trip', () => {
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
    await lastValueFrom(s.assoc('k', 'old'));
    const r = await client();
    const [blobKey] = await r.keys(`${p}b:*`);
    const id = blobKey!.slice(`${p}b:`.length);
    const lockKey = `${p}l:${id}`;
    const old = await r.getBuffer(blobKey!);
    // another owner's lock on the key (a backing of its own, as another process would have)
    const other = redisBacking({ url: server.url, prefix: p, shareChanges: false });
    others.push(other);
    const release = await other.lock!(id);
    const recording = await recordCommands();
    try {
      const written = lastValueFrom(s.assoc('k', 'new'));
      // the one-step write was refused once the assoc asks for the lock (SET <lock> <token> PX ttl NX)
      while (!recording.seen.some((c) => c[0]!.toLowerCase() === 'set' && c[1] === lockKey)) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await r.getBuffer(blobKey!)).toEqual(old);
      await release();
      await written;
      expect(await firstValueFrom(s.get('k'))).toBe('new');
    } finally {
      // idempotent: also stops the lease renewal when an expectation failed
      await release();
    }
    const touching = (await recording.stop()).filter((c) => c.includes(blobKey!) || c.includes(lockKey));
    expect(names(touching)[0]).toBe('evalsha');
  });
});
