/** Opening a store folder: the marker, leftover temp cleanup, what list() hides, ERR_IO, deletion. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, type Observable } from 'rxjs';
import { createStore, storeExists } from '@konserve-rx/core';
import { deleteFileStore, fileBacking, type FileBackingOptions } from '@konserve-rx/fs';
import { bytes, collect, deadPid, exists, filesUnder, plantDeadSession, removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

describe('fileBacking: opening', () => {
  it('creates the folder and a marker recording the layout', async () => {
    const root = join(tempDir(), 'nested', 'store');
    await fileBacking({ path: root }).init();
    expect(JSON.parse(readFileSync(join(root, 'konserve_rx_store.json'), 'utf8'))).toEqual({
      store: 'konserve-rx-fs',
      layout: 1,
      shard: true,
    });
  });

  it('removes leftover temp and lock files of dead processes on open, keeps live ones, and list() hides the rest', async () => {
    const root = tempDir();
    const first = fileBacking({ path: root, fsync: false });
    await first.write('ab12', bytes('v'));
    await first.close!();
    const dead = deadPid();
    // the crash that left these files also left its session: that is what makes opening sweep
    plantDeadSession(root, dead);
    writeFileSync(join(root, 'ab', `ab12~${dead}-00ff.tmp`), 'torn');
    writeFileSync(join(root, `konserve_rx_store.json~${dead}-01.tmp`), 'torn');
    writeFileSync(join(root, 'ab', `ab34~${process.pid}-0a.tmp`), 'an earlier process with our pid');
    writeFileSync(join(root, 'ab', `ab56~${process.ppid}-0b.tmp`), 'a live writer');
    writeFileSync(join(root, 'ab', 'ab12~.lock'), '{}');
    writeFileSync(join(root, 'ab', 'ab12~.lock.break'), '{}');
    const deadOwner = `krx-lock:${dead}:${createHash('sha256').update(hostname()).digest('hex').slice(0, 8)}:0123abcd`;
    symlinkSync(deadOwner, join(root, 'ab', 'ab34~.lock'));
    writeFileSync(join(root, 'ab', 'ab56~.lock.break'), deadOwner);
    writeFileSync(join(root, 'ab', 'AB12'), 'not ours');
    writeFileSync(join(root, 'ab', 'cd12'), 'in the wrong shard');
    mkdirSync(join(root, 'ab', 'ab99'));
    const b = fileBacking({ path: root, fsync: false });
    expect(await collect(b.list())).toEqual(['ab12']);
    expect(await filesUnder(root)).toEqual(
      ['ab/AB12', 'ab/ab12', `ab/ab12~.lock`, 'ab/ab12~.lock.break', `ab/ab56~${process.ppid}-0b.tmp`, 'ab/ab99', 'ab/cd12', 'konserve_rx_store.json'].sort(),
    );
  });

  it('fails with ERR_FORMAT for a layout written by a newer version, ERR_CORRUPT for a broken marker', async () => {
    const newer = tempDir();
    writeFileSync(join(newer, 'konserve_rx_store.json'), JSON.stringify({ store: 'konserve-rx-fs', layout: 2, shard: true }));
    await expect(fileBacking({ path: newer }).init()).rejects.toMatchObject({ code: 'ERR_FORMAT' });
    const broken = tempDir();
    writeFileSync(join(broken, 'konserve_rx_store.json'), '{"store":');
    await expect(fileBacking({ path: broken }).read('ab12')).rejects.toMatchObject({ code: 'ERR_CORRUPT' });
  });

  it.each(['null', '42', '"konserve-rx-fs"', 'true', '[1]', '\u00ff\u0000garbage'])(
    'a marker holding %j fails to open with ERR_CORRUPT naming the marker file (never a TypeError)',
    async (content) => {
      const root = tempDir();
      const marker = join(root, 'konserve_rx_store.json');
      writeFileSync(marker, content);
      await expect(fileBacking({ path: root }).init()).rejects.toMatchObject({ code: 'ERR_CORRUPT', path: marker });
      await expect(lastValueFrom(storeExists({ backend: 'file', path: root }))).rejects.toMatchObject({ code: 'ERR_CORRUPT', path: marker });
    },
  );
});

describe('a store folder deleted while the store is open', () => {
  it.each<[string, Omit<FileBackingOptions, 'path'>]>([
    ['the exclusive lease (alone)', {}],
    ['lock files', { lockFiles: 'always' }],
    ['a flat layout', { shard: false }],
  ])('with %s: every write fails with ERR_IO naming the folder, and the folder is not re-created', async (_label, options) => {
    const root = join(tempDir(), 'store');
    const store = createStore(fileBacking({ path: root, fsync: false, staleLockMs: 300, ...options }));
    await lastValueFrom(store.assoc('a', 1));
    rmSync(root, { recursive: true });
    const writes: Observable<unknown>[] = [
      store.assoc('a', 2),
      store.assoc('new', 1),
      store.update('a', () => 3),
      store.multiAssoc([
        ['b', 1],
        ['c', 2],
      ]),
      store.append('log', 'e'),
      store.bassoc('bin', 'bytes'),
    ];
    for (const write of writes) {
      await expect(lastValueFrom(write)).rejects.toMatchObject({ code: 'ERR_IO', path: root });
    }
    expect(exists(root)).toBe(false);
    // reads see the deleted folder as an empty store
    expect(await lastValueFrom(store.get('a'))).toBeUndefined();
    expect(await lastValueFrom(store.keys(), { defaultValue: 'none' })).toBe('none');
    await lastValueFrom(store.close(), { defaultValue: undefined });
    expect(exists(root)).toBe(false);
  });

  it('opening the path again creates a fresh store with its marker', async () => {
    const root = join(tempDir(), 'store');
    const first = fileBacking({ path: root, fsync: false });
    await first.write('ab12', bytes('v'));
    rmSync(root, { recursive: true });
    await expect(first.write('ab12', bytes('w'))).rejects.toMatchObject({ code: 'ERR_IO', path: root });
    await first.close!();
    const again = fileBacking({ path: root, fsync: false });
    await again.write('ab12', bytes('w'));
    expect(JSON.parse(readFileSync(join(root, 'konserve_rx_store.json'), 'utf8'))).toMatchObject({ store: 'konserve-rx-fs' });
    await again.close!();
  });
});

describe('fileBacking: I/O errors', () => {
  it('fails every operation with ERR_IO naming the path when the store path is a regular file', async () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const b = fileBacking({ path: file });
    await expect(b.init()).rejects.toMatchObject({ code: 'ERR_IO', path: file });
    await expect(b.write('ab12', bytes('v'))).rejects.toMatchObject({ code: 'ERR_IO', path: file });
    await expect(collect(b.list())).rejects.toMatchObject({ code: 'ERR_IO', path: file });
  });

  it('fails with ERR_IO naming the path when a shard folder was replaced by a file', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    await b.write('ab12', bytes('v'));
    rmSync(join(b.path, 'ab'), { recursive: true });
    writeFileSync(join(b.path, 'ab'), 'x');
    const shard = join(b.path, 'ab');
    for (const op of [() => b.read('ab12'), () => b.write('ab12', bytes('w')), () => b.has('ab12'), () => b.readHead!('ab12', 4)]) {
      const err = (await Promise.resolve(op()).catch((e: unknown) => e)) as { code: string; path: string };
      expect(err).toMatchObject({ code: 'ERR_IO' });
      expect(err.path.startsWith(shard)).toBe(true);
    }
  });

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // root ignores file permissions, so a chmod-ed folder stays writable: nothing to observe as root
  (asRoot ? it.skip : it)('fails with ERR_IO for an unwritable folder (skipped as root: root bypasses permissions)', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    await b.write('ab12', bytes('v'));
    chmodSync(join(b.path, 'ab'), 0o500);
    try {
      await expect(b.write('ab12', bytes('w'))).rejects.toMatchObject({ code: 'ERR_IO' });
    } finally {
      chmodSync(join(b.path, 'ab'), 0o700);
    }
  });
});

describe('deleteFileStore', () => {
  it('removes a store folder, emitting undefined, and accepts a missing one', async () => {
    const b = fileBacking({ path: join(tempDir(), 's'), fsync: false });
    await b.write('ab12', bytes('v'));
    await expect(lastValueFrom(deleteFileStore(b.path))).resolves.toBeUndefined();
    await expect(collect(fileBacking({ path: b.path }).list())).resolves.toEqual([]);
    await expect(lastValueFrom(deleteFileStore(join(tempDir(), 'never')))).resolves.toBeUndefined();
  });

  it('refuses a non-empty folder that is not a store', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'precious.txt'), 'x');
    await expect(lastValueFrom(deleteFileStore(root))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(readFileSync(join(root, 'precious.txt'), 'utf8')).toBe('x');
  });
});
