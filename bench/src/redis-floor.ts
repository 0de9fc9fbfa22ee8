/**
 * What a Redis `assoc`/`get`/`dissoc` must cost at least: the Redis store beside the raw client
 * doing the same commands by hand (a plain SET/GET; the store's one-round-trip script; the script
 * with a notice published to a subscriber in this process, as a sharing store receives its own)
 * and beside core alone (the memory store). A `dissoc` needs a key to delete, so it is measured
 * as an `assoc` followed by a `dissoc`, in one step (`deleteIfUnlocked`) and on the locked path
 * (a store whose backing does not offer it), beside a raw SET followed by a DEL. Every case runs in this process, in interleaved rounds,
 * and reports wall time and this process's CPU time per operation, sequential and many in flight.
 * Prints a markdown table and writes bench/results/redis-floor.json.
 * Run: `node bench/dist/redis-floor.js [ops per round] [rounds]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import { connectMemoryStore } from '@konserve-rx/memory';
import { createStore } from '@konserve-rx/core';
import { connectRedisStore, redisBacking } from '@konserve-rx/redis';
import { startRedisServer } from '@konserve-rx/redis/testing';
import { cbor, DOC, keyOf, slot } from './fixture';

/** The script konserve-rx's `writeIfUnlocked` runs, without PXAT (the benchmark's keys never expire). */
const SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
if ARGV[3] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1`;
const KEYS = 1000;
const IN_FLIGHT = [1, 64] as const;

/** One case: its median wall and CPU time per operation, in µs. */
interface FloorRow {
  readonly name: string;
  readonly inFlight: number;
  readonly wallUs: number;
  readonly cpuUs: number;
}

async function main(): Promise<void> {
  const ops = Number(process.argv[2] ?? 3000);
  const rounds = Number(process.argv[3] ?? 7);
  const server = await startRedisServer();
  // ioredis's defaults, as the redis section's raw limit: no timer per command (the store's own
  // commandTimeout is one watchdog per connection, not ioredis's option)
  const raw = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  const sub = raw.duplicate();
  try {
    await raw.connect();
    await sub.subscribe('floor:changes');
    sub.on('messageBuffer', () => undefined);
    const sha = String(await raw.script('LOAD', SCRIPT));
    // a notice of the size a sharing store publishes for this document's key
    const notice = Buffer.alloc(220, 0x61);
    const shared = await firstValueFrom(connectRedisStore({ url: server.url, prefix: 'shared:' }));
    const unshared = await firstValueFrom(connectRedisStore({ url: server.url, prefix: 'unshared:', shareChanges: false }));
    const memory = await firstValueFrom(connectMemoryStore());
    // stores of their own for the dissoc cases, so that the get cases keep reading present keys
    const deleting = await firstValueFrom(connectRedisStore({ url: server.url, prefix: 'deleting:' }));
    // the same backing without the one-step delete: dissoc takes the lock, reads, deletes, releases
    const { deleteIfUnlocked: _oneStep, ...lockedBacking } = redisBacking({ url: server.url, prefix: 'locked:' });
    await lockedBacking.ready();
    const locked = createStore(lockedBacking);
    const key = (i: number): string => keyOf(slot(i, KEYS));
    const cases: Record<string, (i: number) => Promise<unknown>> = {
      'store assoc (shareChanges: true)': (i) => firstValueFrom(shared.assoc(key(i), DOC)),
      'store assoc (shareChanges: false)': (i) => firstValueFrom(unshared.assoc(key(i), DOC)),
      'raw SET': (i) => raw.set(`raw:${key(i)}`, cbor.encode(DOC)),
      'raw EVALSHA of the script, no notice': (i) => raw.evalsha(sha, 2, 'floor:lock', `raw:${key(i)}`, cbor.encode(DOC), ''),
      'raw EVALSHA + PUBLISH to its own subscriber': (i) => raw.evalsha(sha, 2, 'floor:lock', `raw:${key(i)}`, cbor.encode(DOC), '', 'floor:changes', notice),
      'memory store assoc (core alone)': (i) => firstValueFrom(memory.assoc(key(i), DOC)),
      'store get': (i) => firstValueFrom(shared.get(key(i))),
      'raw GET + decode': async (i) => cbor.decode((await raw.getBuffer(`raw:${key(i)}`))!) as unknown,
      'memory store get (core alone)': (i) => firstValueFrom(memory.get(key(i))),
      'store assoc + dissoc (one-step dissoc)': async (i) => {
        await firstValueFrom(deleting.assoc(key(i), DOC));
        return firstValueFrom(deleting.dissoc(key(i)));
      },
      'store assoc + dissoc (locked dissoc)': async (i) => {
        await firstValueFrom(locked.assoc(key(i), DOC));
        return firstValueFrom(locked.dissoc(key(i)));
      },
      'raw SET + DEL': async (i) => {
        await raw.set(`rawdel:${key(i)}`, cbor.encode(DOC));
        return raw.del(`rawdel:${key(i)}`);
      },
    };
    const names = Object.keys(cases);
    for (const name of names) for (let i = 0; i < KEYS; i++) await cases[name]!(i);
    const rows: FloorRow[] = [];
    for (const inFlight of IN_FLIGHT) {
      const wall = new Map<string, number[]>(names.map((n) => [n, []]));
      const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
      for (let r = 0; r < rounds; r++) {
        for (let j = 0; j < names.length; j++) {
          const name = names[(j + r) % names.length]!;
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await drive(cases[name]!, ops, inFlight);
          const c = process.cpuUsage(c0);
          wall.get(name)!.push(((performance.now() - t0) * 1000) / ops);
          cpu.get(name)!.push((c.user + c.system) / ops);
        }
      }
      for (const name of names) rows.push({ name, inFlight, wallUs: median(wall.get(name)!), cpuUs: median(cpu.get(name)!) });
    }
    for (const store of [shared, unshared, memory, deleting, locked]) await firstValueFrom(store.close());
    console.log(`## What a Redis operation costs at least (µs per operation, median of ${rounds} rounds of ${ops})\n`);
    console.log('| case | wall, sequential | CPU, sequential | wall, 64 in flight | CPU, 64 in flight |\n| --- | ---: | ---: | ---: | ---: |');
    for (const name of names) {
      const [seq, many] = IN_FLIGHT.map((n) => rows.find((x) => x.name === name && x.inFlight === n)!);
      console.log(`| ${name} | ${seq!.wallUs.toFixed(1)} | ${seq!.cpuUs.toFixed(1)} | ${many!.wallUs.toFixed(1)} | ${many!.cpuUs.toFixed(1)} |`);
    }
    const dir = resolve(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'redis-floor.json'), JSON.stringify({ ops, rounds, server: server.version, rows }, null, 2));
  } finally {
    sub.disconnect();
    raw.disconnect();
    await server.stop();
  }
}

/** Runs `op` for operations 0..ops-1 with `inFlight` of them outstanding at a time. */
async function drive(op: (i: number) => Promise<unknown>, ops: number, inFlight: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ops) await op(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
