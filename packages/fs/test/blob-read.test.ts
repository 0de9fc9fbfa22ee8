/** Whole-blob reads around the size of the first read (one read up to FIRST_READ bytes, fstat beyond). */
import { afterAll, describe, expect, it } from '@jest/globals';
import { fileBacking } from '@konserve-rx/fs';
import { FIRST_READ } from '../src/blob-read';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('fileBacking read: sizes around the first read', () => {
  const sizes = [0, 1, FIRST_READ - 1, FIRST_READ, FIRST_READ + 1, 3 * FIRST_READ + 7, 1 << 20];
  it.each(sizes)('reads back exactly %i bytes as a fresh plain Uint8Array', async (size) => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    const data = pattern(size, size);
    await b.write('ab12', data);
    const got = await b.read('ab12');
    expect(got?.constructor).toBe(Uint8Array);
    expect(got?.length).toBe(size);
    expect(Buffer.from(got!).equals(Buffer.from(data))).toBe(true);
  });

  it('never shares its scratch buffer: many reads in flight each return their own bytes', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    const ids = Array.from({ length: 100 }, (_, i) => `id${i}`);
    await Promise.all(ids.map((id, i) => b.write(id, pattern(100 + i, i))));
    const first = await Promise.all(ids.map((id) => b.read(id)));
    // later reads reuse the scratch buffers: earlier results must not change
    await Promise.all(ids.map((id) => b.read(id)));
    first.forEach((got, i) => expect(Buffer.from(got!).equals(Buffer.from(pattern(100 + i, i)))).toBe(true));
  });
});
