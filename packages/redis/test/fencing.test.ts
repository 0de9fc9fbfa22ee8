/**
 * Fencing (docs/redis.md, "Lock protocol"): a writer whose lock expired while it stalled (frozen
 * with SIGSTOP, or an `update` function that blocks its event loop past `lockTtl`) must fail with
 * ERR_LOCK_LOST instead of writing its stale value over the increments another process made under
 * the lock meanwhile. Each round is sequenced by events, not timing: the other writer can only
 * increment once the stalled one's lock has expired on the server.
 *
 * The increments that are meant to succeed run with a short lease too, so on a loaded machine one
 * of them can stall past `lockTtl` itself (the scheduler pauses this process for 300 ms): fencing
 * then refuses it with ERR_LOCK_LOST, correctly, and nothing is written. Such a write is not
 * acknowledged, so it is retried ({@link incrementAcked}); the counter is always compared with the
 * acknowledged increments, never with how many were attempted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '@konserve-rx/core';
import { connectRedisStore, redisBacking } from '@konserve-rx/redis';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { canFreeze, freeze, outcomeOf, resume, startFencedCounter, stopChild } from '../../../test-support/fencing';
import type { Child } from './helpers/children';
import { ensureBuilt } from './helpers/children';
import { describeRedis, startRedisServer, type RedisServer } from './helpers/redis-server';

const ROUNDS = 20;
/** Short leases keep 20 rounds fast; each round waits for one expiry. */
const TTL = 300;

let server: RedisServer;
let dir: string;
let prefixes = 0;
/** Children still running: ended in afterAll when a test failed before quitting them. */
const running = new Set<Child>();
const stores = new Set<Store>();

const optionsFor = (prefix: string): object => ({ url: server.url, prefix, lockTtl: TTL, lockTimeout: 30_000, shareChanges: false });
const increment = (store: Store, fn: (n: number) => number = (n) => n + 1): Promise<string> =>
  lastValueFrom(store.update('counter', (n) => fn((n as number | undefined) ?? 0))).then(
    () => 'acked',
    (e: { code?: string }) => e.code ?? String(e),
  );
/** Most refusals one increment meant to succeed may meet before the test gives up on it. */
const MAX_REFUSALS = 10;
/**
 * One increment that must be acknowledged: retried while it is refused with ERR_LOCK_LOST (which
 * guarantees nothing was written, so a retry cannot count twice).
 * @returns `'acked'`, or the first other outcome (or the last refusal after {@link MAX_REFUSALS})
 */
async function incrementAcked(store: Store): Promise<string> {
  for (let refusals = 0; ; refusals++) {
    const outcome = await increment(store);
    if (outcome !== 'ERR_LOCK_LOST' || refusals === MAX_REFUSALS) return outcome;
  }
}

/** A store of this process and a fenced-counter child on a fresh prefix. */
async function pair(): Promise<{ store: Store; child: Child; close: () => Promise<void> }> {
  const prefix = `fence${prefixes++}:`;
  const store = await firstValueFrom(connectRedisStore(optionsFor(prefix)));
  stores.add(store);
  const child = startFencedCounter('@konserve-rx/redis', 'connectRedisStore', optionsFor(prefix), 'counter');
  running.add(child);
  await child.waitFor('ready');
  const close = async (): Promise<void> => {
    child.send('quit');
    await child.done;
    running.delete(child);
    stores.delete(store);
    await lastValueFrom(store.close(), { defaultValue: undefined });
  };
  return { store, child, close };
}

const describeFreeze = canFreeze ? describeRedis : (title: string, body: () => void) => describe.skip(`${title} (skipped: SIGSTOP needs Linux)`, body);

describeFreeze('redis fencing: a stalled lock holder never overwrites acknowledged writes', () => {
  beforeAll(async () => {
    ensureBuilt();
    server = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'konserve-fence-'));
  }, 120_000);
  afterAll(async () => {
    for (const child of running) stopChild(child);
    await Promise.all([...running].map((c) => c.done));
    for (const store of stores) await lastValueFrom(store.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`a holder frozen with SIGSTOP past lockTtl fails its write with ERR_LOCK_LOST (${ROUNDS} rounds); the counter equals the acknowledged increments`, async () => {
    const { store, child, close } = await pair();
    const pid = child.proc.pid!;
    let acked = 0;
    const stale: string[] = [];
    const mine: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const go = join(dir, `go-${r}`);
      child.send(`stall ${r} ${go}`);
      await child.waitFor(`in-update ${r}`);
      // frozen inside its update: it has read the counter and holds the lock, which now expires
      await freeze(pid);
      writeFileSync(go, '');
      // these can only take the lock once the frozen holder's lease expired on the server
      for (let k = 0; k < 2; k++) mine.push(await incrementAcked(store));
      acked += mine.slice(-2).filter((o) => o === 'acked').length;
      resume(pid);
      const outcome = await outcomeOf(child, r);
      if (outcome === 'acked') acked++;
      stale.push(outcome);
    }
    // one object, so a failure shows the counter and the acknowledged count side by side
    const counter = await firstValueFrom(store.get('counter'));
    expect({ counter, acked }).toEqual({ counter: 2 * ROUNDS, acked: 2 * ROUNDS });
    expect(mine).toEqual(Array(2 * ROUNDS).fill('acked'));
    expect(stale).toEqual(Array(ROUNDS).fill('ERR_LOCK_LOST'));
    await close();
  }, 120_000);

  it(`an update function that blocks this process past lockTtl fails with ERR_LOCK_LOST (${ROUNDS} rounds); the counter equals the acknowledged increments`, async () => {
    const { store, child, close } = await pair();
    let acked = 0;
    const mine: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const start = join(dir, `start-${r}`);
      const done = join(dir, `done-${r}`);
      child.send(`after ${r} ${start} ${done}`);
      await child.waitFor(`waiting ${r}`);
      const outcome = await increment(store, (n) => {
        // holding the lock with the counter read: let the child try, and stall until it committed
        writeFileSync(start, '');
        blockUntil(done);
        return n + 1;
      });
      mine.push(outcome);
      if (outcome === 'acked') acked++;
      if ((await outcomeOf(child, r)) === 'acked') acked++;
    }
    const counter = await firstValueFrom(store.get('counter'));
    expect({ counter, acked }).toEqual({ counter: ROUNDS, acked: ROUNDS });
    expect(mine).toEqual(Array(ROUNDS).fill('ERR_LOCK_LOST'));
    await close();
  }, 120_000);
});

describeRedis('redis fencing: every write path under a lost lock', () => {
  beforeAll(async () => {
    server = await startRedisServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  it.each([
    ['write', (b: ReturnType<typeof redisBacking>) => b.write('ab12', bytes('stale'))],
    ['write of an append-log element', (b: ReturnType<typeof redisBacking>) => b.write('ab12.0.1', bytes('stale'))],
    [
      'writeBatch',
      (b: ReturnType<typeof redisBacking>) =>
        b.writeBatch!([
          ['ab12', bytes('stale')],
          ['ab12.0.1', bytes('elem')],
        ]),
    ],
    ['delete', (b: ReturnType<typeof redisBacking>) => b.delete('ab12')],
  ] as const)('%s fails with ERR_LOCK_LOST and changes nothing once another owner took the lock', async (_name, writeUnderLock) => {
    const prefix = `paths${prefixes++}:`;
    const b = redisBacking({ url: server.url, prefix, shareChanges: false });
    await b.write('ab12', bytes('old'));
    const release = await b.lock!('ab12');
    // as if our lease expired while we stalled and another process took the lock
    await b.client.set(`${prefix}l:ab12`, 'another-owner');
    await expect(Promise.resolve(writeUnderLock(b))).rejects.toMatchObject({ code: 'ERR_LOCK_LOST' });
    // inspectStore(store).backing shows it too
    expect(b.inspect!()).toEqual({ lockWaits: 0, locksLost: 1 });
    expect(new TextDecoder().decode(await b.read('ab12'))).toBe('old');
    expect(await b.has('ab12.0.1')).toBe(false);
    await release();
    // the release leaves the other owner's lock alone; writes without a held lock stay plain
    expect(await b.client.get(`${prefix}l:ab12`)).toBe('another-owner');
    await b.write('ab12', bytes('new'));
    expect(new TextDecoder().decode(await b.read('ab12'))).toBe('new');
    await b.close!();
  });
});

/** Blocks this thread (timers and lock renewals included) until `file` exists; fails after 60 s. */
function blockUntil(file: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 60_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    Atomics.wait(pause, 0, 0, 2);
  }
}
