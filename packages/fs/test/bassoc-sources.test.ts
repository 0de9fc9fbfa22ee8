/**
 * bassoc from a caller's stream that fails, on the file backend (which streams into a temp file):
 * the caller gets their own error (a system error from their read stream too, which the backend
 * would otherwise wrap as ERR_IO), the old value stays, and no temp file is left behind. The
 * backend-independent cases run in the compliance suite (core/testing/binary-sources.ts).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { connectFileStore } from '@konserve-rx/fs';
import { filesUnder, removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const OLD = new Uint8Array([7, 7, 7]);
const errorOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    (v) => {
      throw new Error(`expected a failure, got ${String(v)}`);
    },
    (e: unknown) => e,
  );

async function storeWithOld(): Promise<{ store: Store; path: string }> {
  const path = tempDir();
  const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
  await lastValueFrom(store.bassoc('bin', OLD));
  return { store, path };
}

async function expectOldAndNoTemp(store: Store, path: string): Promise<void> {
  expect(Array.from((await lastValueFrom(store.bget('bin', (b) => b.bytes())))!)).toEqual(Array.from(OLD));
  await lastValueFrom(store.close(), { defaultValue: undefined });
  expect((await filesUnder(path)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('fs: bassoc from a failing stream', () => {
  it("a Readable that errors after three chunks (half-written temp file): the caller's own error, old value kept, no temp file", async () => {
    const { store, path } = await storeWithOld();
    const mine = new Error('source failed');
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent < 3) this.push(Buffer.alloc(64 * 1024, sent++));
        else this.destroy(mine);
      },
    });
    expect(await errorOf(lastValueFrom(store.bassoc('bin', source)))).toBe(mine);
    await expectOldAndNoTemp(store, path);
  });

  it('a read stream of a missing file: its own ENOENT error (not ERR_IO), old value kept, no temp file', async () => {
    const { store, path } = await storeWithOld();
    const err = await errorOf(lastValueFrom(store.bassoc('bin', createReadStream(join(path, 'no-such-file')))));
    expect(err).toMatchObject({ code: 'ENOENT', path: join(path, 'no-such-file') });
    await expectOldAndNoTemp(store, path);
  });

  it('a read stream of a real file is stored whole (the guard changes nothing for a healthy stream)', async () => {
    const { store, path } = await storeWithOld();
    const file = join(tempDir(), 'payload');
    writeFileSync(file, Buffer.alloc(200_000, 9));
    await lastValueFrom(store.bassoc('bin', createReadStream(file)));
    expect(await lastValueFrom(store.bget('bin', (b) => Promise.resolve(b.size)))).toBe(200_000);
    await lastValueFrom(store.close(), { defaultValue: undefined });
    expect((await filesUnder(path)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
