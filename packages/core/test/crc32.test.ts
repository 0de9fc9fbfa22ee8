/** The JS CRC-32 must give zlib's values exactly, or blobs written by one would fail the other. */
import { describe, expect, it } from '@jest/globals';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32 } from '../src/internal/crc32';

describe('crc32', () => {
  it('equals zlib for every length around the native threshold, from zero and continued', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    for (let len = 0; len < 400; len += 3) {
      const bytes = Uint8Array.from({ length: len }, next);
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
      expect(crc32(bytes, 0xdeadbeef)).toBe(zlibCrc32(bytes, 0xdeadbeef));
    }
  });
});
