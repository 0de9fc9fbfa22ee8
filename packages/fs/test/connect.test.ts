/** connectFileStore and the 'file' registry entry. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectStore, type Store } from '@konserve-rx/core';
import { connectFileStore, FILE_BACKEND_NAME, fileBacking } from '@konserve-rx/fs';
import { filesUnder, removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const close = (store: Store): Promise<unknown> => lastValueFrom(store.close(), { defaultValue: undefined });

describe('connectFileStore', () => {
  it('is cold: nothing touches the disk until it is subscribed', async () => {
    const path = join(tempDir(), 'lazy');
    const store$ = connectFileStore({ path });
    await expect(filesUnder(join(path, '..'))).resolves.toEqual([]);
    const store = await firstValueFrom(store$);
    await expect(filesUnder(path)).resolves.toEqual(['konserve_rx_store.json']);
    await close(store);
  });

  it('errors with ERR_IO naming the path when the folder is a regular file', async () => {
    const path = join(tempDir(), 'a-file');
    writeFileSync(path, 'x');
    await expect(firstValueFrom(connectFileStore({ path }))).rejects.toMatchObject({ code: 'ERR_IO', path });
  });

  it('errors with ERR_INVALID_ARGUMENT without a path', async () => {
    await expect(firstValueFrom(connectFileStore({} as { path: string }))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('passes store options through to the Store', async () => {
    const store = await firstValueFrom(connectFileStore({ path: tempDir(), fsync: false, now: () => 86_400_000 }));
    const meta = await firstValueFrom(store.assoc('k', 1));
    expect(meta.lastWrite).toEqual(new Date(86_400_000));
    await close(store);
  });

  it("registers the 'file' backend with connectStore", async () => {
    expect(FILE_BACKEND_NAME).toBe('file');
    const path = tempDir();
    const store = await firstValueFrom(connectStore({ backend: 'file', path, fsync: false }));
    await firstValueFrom(store.assoc('k', 'v'));
    await close(store);
    const again = await firstValueFrom(connectFileStore({ path }));
    expect(await firstValueFrom(again.get('k'))).toBe('v');
    await close(again);
  });
});

describe('unknown options: ERR_INVALID_ARGUMENT naming the option, nothing created', () => {
  it('connectFileStore and connectStore fail as an error notification; fileBacking throws', async () => {
    const path = join(tempDir(), 'never');
    const err = await firstValueFrom(connectFileStore({ path, fsynk: false } as never)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((err as Error).message).toContain("'fsynk'");
    await expect(firstValueFrom(connectFileStore({ path, compresor: 1 } as never))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(firstValueFrom(connectStore({ backend: FILE_BACKEND_NAME, path, staleLockMS: 5 }))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(() => fileBacking({ path, shards: false } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    await expect(filesUnder(join(path, '..'))).resolves.toEqual([]);
  });

  it('connectStore hands the file and store options through', async () => {
    const path = tempDir();
    const store = await firstValueFrom(connectStore({ backend: FILE_BACKEND_NAME, path, fsync: false, maxValueBytes: 8 }));
    await expect(lastValueFrom(store.assoc('k', 'longer than eight bytes'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await close(store);
  });
});
