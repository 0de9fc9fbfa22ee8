/**
 * A server restart mid-run: the server stops at once (immediate shutdown: no checkpoint, crash
 * recovery on start) while a writer keeps going, then starts again on the same port and folder.
 * During the outage every operation fails fast with ERR_IO naming the cause; afterwards the store
 * recovers by itself, change events flow again, and every write that was acknowledged is still there
 * and reaches another store's changes(), those made before its listener was back included.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { KonserveError, Store } from '@konserve-rx/core';
import { errorOf, record } from '@konserve-rx/core/testing';
import { randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectPostgresStore } from '@konserve-rx/postgres';
import { describePostgres, startPostgresServer, type PostgresServer } from './helpers/postgres-server';
import { retryFor } from '../../../test-support/retry';

let server: PostgresServer;
const stores: Store[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(table: string): Promise<Store> {
  const store = await firstValueFrom(connectPostgresStore({ connectionString: server.connectionString, table, queryTimeout: 3000 }));
  stores.push(store);
  return store;
}

describePostgres('postgres backend through a server restart', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
    await server?.stop();
  });

  it('fails fast with ERR_IO during the outage, recovers afterwards, and loses no acknowledged write', async () => {
    const table = `r${randomBytes(6).toString('hex')}`;
    const writer = await open(table);
    const watcher = await open(table);
    const heard = record(watcher.changes());
    const acked = new Map<string, number>();
    const failures: KonserveError[] = [];
    let attempts = 0;
    let stop = false;
    const loop = (async () => {
      for (let i = 0; !stop; i++) {
        attempts++;
        try {
          await lastValueFrom(writer.assoc(`k${i}`, i));
          await lastValueFrom(writer.update('count', (n: unknown) => ((n as number | undefined) ?? 0) + 1));
          acked.set(`k${i}`, i);
        } catch (e) {
          failures.push(e as KonserveError);
          await sleep(20);
        }
      }
    })();
    await retryFor(20_000, async () => expect(acked.size).toBeGreaterThanOrEqual(30));

    await server.kill();
    const t0 = Date.now();
    const readError = await errorOf(writer.get('k0'));
    const writeError = await errorOf(writer.assoc('during-outage', 1));
    // below the 5 s connection timeout, with room for a loaded machine: refused at once, not waited out
    expect(Date.now() - t0).toBeLessThan(4000);
    for (const err of [readError, writeError]) {
      expect(err.code).toBe('ERR_IO');
      expect(err.cause).toBeInstanceOf(Error);
      expect((err.cause as Error).message).toMatch(/^postgres \S+ failed: no working connection to the server/);
    }
    expect(readError.key).toBe('k0');
    const ackedBeforeRestart = acked.size;

    await server.restart();
    expect(await retryFor(20_000, () => lastValueFrom(writer.get('k0')))).toBe(0);
    await retryFor(20_000, async () => expect(acked.size).toBeGreaterThanOrEqual(ackedBeforeRestart + 10));
    stop = true;
    await loop;

    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((e) => e.code !== 'ERR_IO' && e.code !== 'ERR_LOCK_LOST').map((e) => e.code)).toEqual([]);
    const reader = await open(table);
    const stored = await lastValueFrom(reader.multiGet([...acked.keys()]));
    expect(stored).toEqual(new Map(acked));
    // an update whose reply was lost in the crash may have committed: never fewer than acknowledged
    const count = (await lastValueFrom(reader.get('count'))) as number;
    expect(count).toBeGreaterThanOrEqual(acked.size);
    expect(count).toBeLessThanOrEqual(attempts);

    // the watcher's listening connection came back: remote events flow again
    const events = record(watcher.changes());
    await retryFor(20_000, async () => {
      await lastValueFrom(writer.assoc('after-restart', 'back'));
      await sleep(100);
      expect(events.values.some((e) => e.key === 'after-restart')).toBe(true);
    });
    expect(events.values.find((e) => e.key === 'after-restart')).toMatchObject({ op: 'assoc', value: 'back' });
    events.stop();
    // each acknowledged assoc logged its change with its write: the watcher hears every one, also
    // when the restarted server hands out again the xids of transactions whose end the crash lost
    const missing = (): string[] => [...acked.keys()].filter((k) => !heard.values.some((e) => e.key === k));
    await heard.when(() => missing().length === 0).catch(() => expect(missing()).toEqual([]));
    heard.stop();
  }, 90_000);
});
