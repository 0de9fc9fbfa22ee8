/**
 * Fencing: a writer that lost its lock while it stalled must not overwrite the work of the
 * process that took the lock over. The PostgreSQL backing's locks are advisory locks of one
 * connection (the lock session) and its writes under a lock go through that connection, so when
 * the session is gone (here: terminated by the server, as an administrator or an idle timeout
 * would) the lock is gone and so is every way to write under it.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createStore, type BackingStore, type KonserveError, type Store } from '@konserve-rx/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectPostgresStore, postgresBacking, type PostgresBacking } from '@konserve-rx/postgres';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

let server: PostgresServer;
const closers: Array<() => Promise<unknown>> = [];
const table = (): string => `f${randomBytes(6).toString('hex')}`;
const increment = (n: unknown): number => ((n as number | undefined) ?? 0) + 1;

async function backingOn(t: string): Promise<PostgresBacking> {
  const b = postgresBacking({ connectionString: server.connectionString, table: t });
  closers.push(async () => b.close?.());
  await b.ready();
  return b;
}

/** Terminates every server session holding an advisory lock (the test's only lock holder); returns how many. */
async function terminateLockHolders(): Promise<number> {
  const admin = new Client({ connectionString: server.connectionString });
  await admin.connect();
  try {
    const r = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/** A backing whose next `write` waits at a gate: a writer stalled between reading and writing. */
function stallable(inner: BackingStore) {
  let armed = false;
  let reached!: () => void;
  let resume!: () => void;
  const atGate = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (resume = r));
  const backing: BackingStore = {
    ...inner,
    write: async (id, data) => {
      if (armed) {
        armed = false;
        reached();
        await gate;
      }
      return inner.write(id, data);
    },
  };
  return { backing, arm: () => void (armed = true), atGate, resume };
}

describePostgres('postgres fencing', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await server?.stop();
  });

  it('a writer whose lock was lost while it stalled fails with ERR_LOCK_LOST or ERR_IO; the counter equals the acknowledged increments', async () => {
    const t = table();
    const stalled = stallable(await backingOn(t));
    const a = createStore(stalled.backing);
    const b: Store = await firstValueFrom(connectPostgresStore({ connectionString: server.connectionString, table: t }));
    closers.push(() => lastValueFrom(b.close()));
    let acked = 0;
    await lastValueFrom(a.update('counter', increment));
    acked++;

    stalled.arm();
    const late = lastValueFrom(a.update('counter', increment)).then(
      () => undefined,
      (e: unknown) => e as KonserveError,
    );
    await stalled.atGate;
    // A holds the lock and has read the counter; its session ends, so the lock is free
    expect(await terminateLockHolders()).toBe(1);
    for (let i = 0; i < 5; i++) {
      await lastValueFrom(b.update('counter', increment));
      acked++;
    }
    stalled.resume();
    const err = await late;
    expect(err?.code).toMatch(/^ERR_(LOCK_LOST|IO)$/);
    expect(await lastValueFrom(b.get('counter'))).toBe(acked);

    // A recovers on a new session, and its next increment counts
    await lastValueFrom(a.update('counter', increment));
    expect(await lastValueFrom(b.get('counter'))).toBe(acked + 1);
  });

  it('a write under a lock whose session died fails with ERR_LOCK_LOST before reaching the server, even once a new session serves other locks', async () => {
    const t = table();
    const backing = await backingOn(t);
    await backing.lock!('key');
    expect(await terminateLockHolders()).toBe(1);
    // the next lock runs on a new session once the backing has seen the old one end
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await backing.lock!('other');
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        expect((e as KonserveError).code ?? 'ERR_IO').toBe('ERR_IO');
      }
    }
    const writes: Array<() => unknown> = [
      () => backing.write('key', Uint8Array.of(1)),
      () => backing.write('key.1.0', Uint8Array.of(1)),
      () => backing.delete('key'),
      () => backing.writeBatch!([['key', Uint8Array.of(1)]]),
    ];
    for (const write of writes) {
      const err = (await Promise.resolve()
        .then(write)
        .catch((e: unknown) => e)) as KonserveError;
      expect(err.code).toBe('ERR_LOCK_LOST');
    }
    expect(await backing.has('key')).toBe(false);
    expect(await backing.has('key.1.0')).toBe(false);
  });
});
