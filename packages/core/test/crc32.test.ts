/** The JS CRC-32 must give zlib's values exactly, or blobs written by one would fail the other. */
import { describe, expect, it } from '@jest/globals';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Range } from '../src/format/crc32';

describe('crc32', () => {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;

  it('equals zlib for every length around the native threshold, from zero and continued', () => {
    for (let len = 0; len < 400; len += 3) {
      const bytes = Uint8Array.from({ length: len }, next);
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
      expect(crc32(bytes, 0xdeadbeef)).toBe(zlibCrc32(bytes, 0xdeadbeef));
    }
  });

  it('crc32Range equals zlib over the same sub-range, for every start alignment and length', () => {
    const bytes = Uint8Array.from({ length: 300 }, next);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end < bytes.length; end += 7) {
        const part = bytes.subarray(start, end);
        expect(crc32Range(bytes, start, end)).toBe(zlibCrc32(part));
        expect(crc32Range(bytes, start, end, 0x12345678)).toBe(zlibCrc32(part, 0x12345678));
      }
    }
  });
});
