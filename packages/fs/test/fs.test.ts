/**
 * The file backend: the shared Store compliance suite on fresh temp folders, then what only a
 * file store must prove: several processes, SIGKILL mid-write, torn reads, format versions and a
 * committed store written by version 1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { FORMAT_VERSION, NEWEST_FORMAT_VERSION, type Store } from '@konserve-rx/core';
import { runStoreCompliance, seededRandom } from '@konserve-rx/core/testing';
import { connectFileStore } from '@konserve-rx/fs';
import { ensureBuilt, startChild } from './helpers/children';
import { filesUnder, removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

runStoreCompliance({ name: 'fs', connect: () => connectFileStore({ path: tempDir(), fsync: false }) });

const open = (path: string, fsync = false): Promise<Store> => firstValueFrom(connectFileStore({ path, fsync }));
const close = (store: Store): Promise<unknown> => lastValueFrom(store.close(), { defaultValue: undefined });
const tempFiles = (root: string): Promise<string[]> => filesUnder(root).then((fs) => fs.filter((f) => f.endsWith('.tmp')));

describe('fs: several processes', () => {
  beforeAll(ensureBuilt, 120_000);

  it('2 processes x 200 updates of one key end at exactly 400', async () => {
    const path = tempDir();
    const children = [startChild('update-counter.js', [path, '200']), startChild('update-counter.js', [path, '200'])];
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
    const store = await open(path);
    expect(await firstValueFrom(store.get('counter'))).toBe(400);
    await close(store);
    // generous: 400 cross-process locked updates and two process starts, on a loaded 2-core machine
  }, 300_000);

  it('readers racing a writer of 256 KiB values in another process never see a partial value', async () => {
    const path = tempDir();
    const writer = startChild('big-writer.js', [path, '60']);
    await writer.waitFor('ready');
    const store = await open(path);
    let writing = true;
    void writer.done.then(() => (writing = false));
    const seen = new Set<number>();
    const reader = async (): Promise<void> => {
      while (writing) {
        const v = (await firstValueFrom(store.get('big'))) as { n: number; body: Uint8Array } | undefined;
        if (v === undefined) continue;
        expect(v.body.length).toBe(256 * 1024);
        expect(v.body.every((b) => b === v.n % 251)).toBe(true);
        seen.add(v.n);
      }
    };
    await Promise.all([reader(), reader(), reader()]);
    expect(await writer.done).toMatchObject({ code: 0, stderr: '' });
    expect(seen.size).toBeGreaterThan(3);
    await close(store);
  }, 300_000);
});

describe('fs: SIGKILL during writes', () => {
  beforeAll(ensureBuilt, 120_000);
  const KEYS = 4;
  const ROUNDS = 24;

  it(`loses no acknowledged write and tears no value over ${ROUNDS} kills (fsync on)`, async () => {
    const path = tempDir();
    const random = seededRandom(20261124);
    const stored = new Map<string, number | undefined>();
    let killsMidWrite = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const start = round * 1_000_000;
      const child = startChild('crash-writer.js', [path, String(KEYS), String(start)]);
      // kill after a seeded number of acknowledged writes, not after a time: the writers never
      // pause, so the kill lands inside some later write however slow the machine is
      await child.waitForLines(1 + 1 + Math.floor(random() * 12));
      child.proc.kill('SIGKILL');
      expect((await child.done).signal).toBe('SIGKILL');
      if ((await tempFiles(path)).length > 0) killsMidWrite++;
      const acked = new Map<string, number>();
      for (const line of child.lines.filter((l) => l !== 'ready')) {
        const [key, n] = line.split(' ');
        acked.set(key!, Number(n));
      }
      const store = await open(path, true);
      for (let k = 0; k < KEYS; k++) {
        const key = `k${k}`;
        const value = (await firstValueFrom(store.get(key))) as { key: string; n: number; body: Uint8Array } | undefined;
        const last = acked.get(key);
        // the writer of a key is sequential: at most the one write after the last ack was in flight
        const allowed = last !== undefined ? [last, last + 1] : [stored.get(key), start];
        expect(allowed).toContain(value?.n);
        if (value !== undefined) {
          expect(value.key).toBe(key);
          expect(value.body.length).toBe(1024 * (1 + ((value.n * 37) % 192)));
          expect(value.body.every((b) => b === value.n % 251)).toBe(true);
        }
        stored.set(key, value?.n);
      }
      // reopening removed the temp files and the lock files the killed writer held
      expect((await filesUnder(path)).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
      await close(store);
    }
    // the kills must actually have landed inside writes for this test to mean anything
    expect(killsMidWrite).toBeGreaterThan(0);
    // generous: each round starts a process, which takes seconds on a loaded 2-core machine
  }, 300_000);
});

describe('fs: format versions', () => {
  it('fails with ERR_FORMAT for a blob whose format version is newer than this code reads', async () => {
    const path = tempDir();
    const store = await open(path);
    await firstValueFrom(store.assoc('future', { from: 'a later version' }));
    await close(store);
    const blob = (await filesUnder(path)).filter((f) => f.includes('/'));
    expect(blob).toHaveLength(1);
    const file = join(path, blob[0]!);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('KRX!');
    expect(bytes[4]).toBe(FORMAT_VERSION);
    bytes[4] = NEWEST_FORMAT_VERSION + 1;
    writeFileSync(file, bytes);
    const again = await open(path);
    await expect(firstValueFrom(again.get('future'))).rejects.toMatchObject({ code: 'ERR_FORMAT' });
    await expect(firstValueFrom(again.getMeta('future'))).rejects.toMatchObject({ code: 'ERR_FORMAT' });
    await close(again);
  });
});

describe('fs: the committed store written by version 1', () => {
  const FIXED_NOW = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));

  it('reads back every value, meta, binary and log exactly', async () => {
    const path = join(tempDir(), 'store-v1');
    // a copy: reading must not change the committed files, even if a later version migrates on open
    cpSync(join(__dirname, 'fixtures', 'store-v1'), path, { recursive: true });
    const store = await open(path);
    const get = (key: Parameters<Store['get']>[0]) => firstValueFrom(store.get(key));
    expect(await get('string')).toBe('hello, konserve');
    expect(await get(42)).toBe(3.14);
    expect(await get(['compound', 1])).toEqual({ nested: { list: [1, 'two', null, true] } });
    expect(await get('date')).toEqual(new Date('2026-01-01T00:00:00.000Z'));
    expect(await get('map')).toEqual(
      new Map<string, unknown>([
        ['a', 1],
        ['b', [2]],
      ]),
    );
    expect(await get('set')).toEqual(new Set([1, 2, 3]));
    expect(await get('bigint')).toBe(12345678901234567890n);
    expect(Array.from((await get('bytes')) as Uint8Array)).toEqual([0, 1, 2, 255]);
    for (const [key, value] of [
      ['false', false],
      ['null', null],
      ['zero', 0],
      ['empty', ''],
    ] as const) {
      expect(await firstValueFrom(store.get(key, 'missing'))).toBe(value);
    }
    expect(await get('counter')).toBe(3);
    expect(await firstValueFrom(store.getMeta('with-meta'))).toEqual({ key: 'with-meta', type: 'value', lastWrite: FIXED_NOW, author: 'fixture' });
    const binary = await firstValueFrom(store.bget('binary', async (blob) => Buffer.from(await blob.bytes()).toString('utf8')));
    expect(binary).toBe('binary payload');
    expect(await firstValueFrom(store.log('log').pipe(toArray()))).toEqual(['first', 'second', 'third']);
    const keys = await firstValueFrom(store.keys().pipe(toArray()));
    expect(keys.map((m) => JSON.stringify(m.key)).sort()).toEqual(
      ['string', 42, ['compound', 1], 'date', 'map', 'set', 'bigint', 'bytes', 'false', 'null', 'zero', 'empty', 'with-meta', 'binary', 'log', 'counter']
        .map((k) => JSON.stringify(k))
        .sort(),
    );
    expect(keys.every((m) => m.lastWrite.getTime() === FIXED_NOW.getTime())).toBe(true);
    await close(store);
    // nothing but the (empty) sessions folder of the backing that just closed and the change
    // journal (with no notice: nothing was written) was added
    const added = new Set(['konserve_rx_sessions', 'konserve_rx_changes']);
    expect(
      readdirSync(path)
        .filter((f) => !added.has(f))
        .sort(),
    ).toEqual(readdirSync(join(__dirname, 'fixtures', 'store-v1')).sort());
    expect(readdirSync(join(path, 'konserve_rx_sessions'))).toEqual([]);
    expect(readFileSync(join(path, 'konserve_rx_changes', 'journal'))).toHaveLength(0);
  });
});
