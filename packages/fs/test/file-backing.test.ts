/** The file backing's byte-level operations on a real temp folder. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileBacking } from '@konserve-rx/fs';
import { bytes, collect, filesUnder, removeTempDirs, tempDir, text } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const fast = () => fileBacking({ path: tempDir(), fsync: false });

describe('fileBacking: basic operations', () => {
  it('writes, reads, tests, lists and deletes blobs', async () => {
    const b = fast();
    expect(await b.read('ab12')).toBeUndefined();
    await b.write('ab12', bytes('one'));
    await b.write('cd34', bytes('two'));
    expect(text(await b.read('ab12'))).toBe('one');
    expect(await b.has('ab12')).toBe(true);
    expect(await b.has('zz99')).toBe(false);
    expect((await collect(b.list())).sort()).toEqual(['ab12', 'cd34']);
    expect(await b.delete('ab12')).toBe(true);
    expect(await b.delete('ab12')).toBe(false);
    expect(await b.read('ab12')).toBeUndefined();
    expect(await collect(b.list())).toEqual(['cd34']);
  });

  it('returns plain Uint8Arrays and stores empty blobs', async () => {
    const b = fast();
    await b.write('e0', new Uint8Array(0));
    const got = await b.read('e0');
    expect(got?.constructor).toBe(Uint8Array);
    expect(got?.length).toBe(0);
  });

  it('replaces atomically: a new file is renamed over the old one, no temp file stays', async () => {
    const b = fileBacking({ path: tempDir(), fsync: true });
    await b.write('ab12', bytes('old'));
    const before = statSync(join(b.path, 'ab', 'ab12')).ino;
    await b.write('ab12', bytes('new'));
    expect(text(await b.read('ab12'))).toBe('new');
    expect(statSync(join(b.path, 'ab', 'ab12')).ino).not.toBe(before);
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });

  it('shards by the first two characters, mapping dots, or keeps a flat folder', async () => {
    const sharded = fast();
    await sharded.write('.x', bytes('a'));
    await sharded.write('7', bytes('b'));
    expect(await filesUnder(sharded.path)).toEqual(['7_/7', '_x/.x', 'konserve_rx_store.json']);
    expect((await collect(sharded.list())).sort()).toEqual(['.x', '7']);
    const flat = fileBacking({ path: tempDir(), fsync: false, shard: false });
    await flat.write('ab12', bytes('c'));
    expect(await filesUnder(flat.path)).toEqual(['ab12', 'konserve_rx_store.json']);
  });

  it('keeps the layout recorded at creation when reopened with another shard option', async () => {
    const b = fast();
    await b.write('ab12', bytes('v'));
    const again = fileBacking({ path: b.path, fsync: false, shard: false });
    expect(text(await again.read('ab12'))).toBe('v');
    expect(await collect(again.list())).toEqual(['ab12']);
  });

  it('rejects blob ids outside the id alphabet instead of building a path from them', async () => {
    const b = fast();
    for (const id of ['../x', 'A', '..', 'a/b', '']) {
      await expect(b.write(id, bytes('x'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    }
  });
});

describe('fileBacking: partial reads', () => {
  it('readHead reads only the first bytes', async () => {
    const b = fast();
    await b.write('ab12', bytes('0123456789'));
    expect(text(await b.readHead!('ab12', 4))).toBe('0123');
    expect(text(await b.readHead!('ab12', 100))).toBe('0123456789');
    expect(await b.readHead!('zz99', 4)).toBeUndefined();
  });

  it('open gives the size and positional reads of one version, even while it is replaced', async () => {
    const b = fast();
    await b.write('ab12', bytes('0123456789'));
    const h = (await b.open!('ab12'))!;
    expect(h.size).toBe(10);
    await b.write('ab12', bytes('replaced'));
    expect(text(await h.read(2, 3))).toBe('234');
    expect(text(await h.read(8, 5))).toBe('89');
    expect((await h.read(10, 5)).length).toBe(0);
    await h.close();
    expect(await b.open!('zz99')).toBeUndefined();
  });
});

describe('fileBacking: writeStream', () => {
  it('streams chunks, patches the head, and creates the target only at commit', async () => {
    const b = fast();
    await b.write('ab12', bytes('old!'));
    let seenMidway: string | undefined;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes('HHHH');
      yield bytes('body-1,');
      seenMidway = text(await b.read('ab12'));
      yield bytes('body-2');
    }
    await b.writeStream!('ab12', chunks(), () => bytes('head'));
    expect(seenMidway).toBe('old!');
    expect(text(await b.read('ab12'))).toBe('headbody-1,body-2');
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });

  it('passes a failing source through untouched, keeps the old value and removes its temp file', async () => {
    const b = fast();
    await b.write('ab12', bytes('old'));
    const boom = new Error('source failed');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes('new');
      throw boom;
    }
    await expect(b.writeStream!('ab12', chunks(), () => bytes('n'))).rejects.toBe(boom);
    expect(text(await b.read('ab12'))).toBe('old');
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });
});

describe('fileBacking: writeBatch', () => {
  it('applies writes and deletes in order, the last entry for an id winning', async () => {
    const b = fileBacking({ path: tempDir(), fsync: true });
    await b.write('cd34', bytes('gone soon'));
    await b.writeBatch!([
      ['ab12', bytes('first')],
      ['ef56', bytes('x')],
      ['cd34', null],
      ['ab12', bytes('second')],
      ['ef56', null],
      ['zz00', null],
    ]);
    expect(text(await b.read('ab12'))).toBe('second');
    expect(await b.has('cd34')).toBe(false);
    expect(await b.has('ef56')).toBe(false);
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });

  it('applies nothing when a temp file cannot be written, and leaves no temp file', async () => {
    const b = fast();
    await b.write('ab12', bytes('kept'));
    // a regular file where the shard folder "qq" should be makes that entry's temp write fail
    await b.write('qq', bytes('x')); // creates folder "qq"; replace it by a file:
    const { rmSync, writeFileSync } = await import('node:fs');
    rmSync(join(b.path, 'qq'), { recursive: true });
    writeFileSync(join(b.path, 'qq'), 'not a folder');
    const err = await Promise.resolve(
      b.writeBatch!([
        ['ab12', bytes('changed')],
        ['qq00', bytes('y')],
      ]),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_IO' });
    expect((err as { path: string }).path.startsWith(join(b.path, 'qq'))).toBe(true);
    expect(text(await b.read('ab12'))).toBe('kept');
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json', 'qq']);
    expect(existsSync(join(b.path, 'ab'))).toBe(true);
  });
});
