/** The compressors on their own: round trips, real compression, standard formats, option checks. */
import { describe, expect, it } from '@jest/globals';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { brotliCompressor, gzipCompressor, lz4Compressor, type Compressor } from '../src';
import { inNode } from './in-node';

const repetitive = new TextEncoder().encode('{"name":"Ada","role":"engineer"},'.repeat(500));
const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);

const COMPRESSORS: [string, number, () => Compressor][] = [
  ['gzip', 1, () => gzipCompressor()],
  ['brotli', 2, () => brotliCompressor()],
  ['lz4', 3, () => lz4Compressor()],
];

describe.each(COMPRESSORS)('%s compressor', (name, id, make) => {
  const c = inNode(make());

  it(`has id ${id} and name ${name}`, () => {
    expect(c.id).toBe(id);
    expect(c.name).toBe(name);
  });

  it.each([
    ['empty input', new Uint8Array(0)],
    ['one byte', new Uint8Array([7])],
    ['repetitive text', repetitive],
    ['incompressible bytes', random],
  ])('round-trips %s', (_label, input) => {
    const out = c.decompress(c.compress(input));
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(out)).toBe(false);
    expect(Buffer.from(out).equals(Buffer.from(input))).toBe(true);
  });

  it('compresses repetitive data at least tenfold', () => {
    expect(c.compress(repetitive).length * 10).toBeLessThan(repetitive.length);
  });

  it('throws on bytes it did not write', () => {
    expect(() => c.decompress(new TextEncoder().encode('definitely not compressed data'))).toThrow();
  });
});

describe('standard formats', () => {
  it('gzip writes RFC 1952 members that node:zlib reads', () => {
    const out = inNode(gzipCompressor({ level: 9 })).compress(repetitive);
    expect([out[0], out[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(out).equals(Buffer.from(repetitive))).toBe(true);
  });

  it('brotli writes streams that node:zlib reads', () => {
    expect(brotliDecompressSync(inNode(brotliCompressor({ quality: 11 })).compress(repetitive)).equals(Buffer.from(repetitive))).toBe(true);
  });

  it('lz4 writes LZ4 frames (magic 0x184D2204)', () => {
    const out = inNode(lz4Compressor()).compress(repetitive);
    expect(new DataView(out.buffer, out.byteOffset).getUint32(0, true)).toBe(0x184d2204);
  });
});

describe('options', () => {
  it.each([0, 10, 2.5])('gzip rejects level %p', (level) => {
    expect(() => gzipCompressor({ level })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
  it.each([-1, 12, 0.5])('brotli rejects quality %p', (quality) => {
    expect(() => brotliCompressor({ quality })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
