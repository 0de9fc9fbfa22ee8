/**
 * Core's platform seam: the browser side (platform/browser.ts) gives the same answers as the Node
 * side for everything that must match across platforms (key ids, CRC, UTF-8, base64), exports the
 * same names, and names the codec it lacks in an ERR_FORMAT. Both run here, in Node (its gzip and
 * AES-GCM over Web APIs are in platform-web-codecs.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import * as browser from '../src/platform/browser';
import * as node from '../src/platform/node';
import { crc32Range } from '../src/format/crc32';

const SAMPLES = ['', 'a', 'abc', '"k"', '["a",1]', 'é✓ 𝄞', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'ü'.repeat(300), '\u0000nul'];

describe('platform seam', () => {
  it('the browser side exports exactly the names of the Node side', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    expect([node.PLATFORM, browser.PLATFORM]).toEqual(['node', 'browser']);
  });

  it('key ids: the JS SHA-256 gives the same hex as node:crypto (so a store reads on both platforms)', () => {
    for (const s of SAMPLES) expect(browser.sha256Hex(s)).toBe(node.sha256Hex(s));
    expect(browser.sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('UTF-8 length, encoding, decoding, base64 and byte search agree', () => {
    for (const s of SAMPLES) {
      const bytes = node.utf8Encode(s);
      expect(browser.utf8Length(s)).toBe(node.utf8Length(s));
      expect(Array.from(browser.utf8Encode(s))).toEqual(Array.from(bytes));
      const out = new Uint8Array(bytes.length + 2);
      browser.utf8Write(s, out, 1, bytes.length);
      expect(Array.from(out.subarray(1, 1 + bytes.length))).toEqual(Array.from(bytes));
      expect(browser.utf8Decode(out, 1, 1 + bytes.length)).toBe(s);
      expect(browser.toBase64(bytes)).toBe(node.toBase64(bytes));
      expect(Array.from(browser.fromBase64(node.toBase64(bytes)))).toEqual(Array.from(bytes));
      for (const byte of [0x78, 0xed, 0xef])
        for (const from of [0, 1, 5]) expect(browser.indexOfByte(bytes, byte, from)).toBe(node.indexOfByte(bytes, byte, from));
    }
    const view = new Uint8Array([9, 1, 2, 1, 2, 3]).subarray(1);
    expect([node.indexOfByte(view, 2), node.indexOfByte(view, 2, 2), node.indexOfByte(view, 2, 4), node.indexOfByte(view, 9)]).toEqual([1, 3, -1, -1]);
    expect([browser.indexOfByte(view, 2), browser.indexOfByte(view, 2, 2), browser.indexOfByte(view, 2, 4), browser.indexOfByte(view, 9)]).toEqual([
      1, 3, -1, -1,
    ]);
  });

  it('UTF-8 into scratch bytes at an offset: the same bytes and count, a lone surrogate as U+FFFD on both', () => {
    const cases: [string, string][] = [
      ...SAMPLES.map((s): [string, string] => [s, s]),
      ['lone \ud800 high', 'lone \ufffd high'],
      ['x\udc00'.repeat(40), 'x\ufffd'.repeat(40)],
    ];
    for (const [s, readBack] of cases) {
      const [a, b] = [node.scratchBytes(3 * s.length + 4), browser.scratchBytes(3 * s.length + 4)];
      const [n, m] = [node.utf8WriteAt(s, a, 3), browser.utf8WriteAt(s, b, 3)];
      expect(m).toBe(n);
      expect(Array.from(b.subarray(3, 3 + m))).toEqual(Array.from(a.subarray(3, 3 + n)));
      expect(node.utf8Decode(a, 3, 3 + n)).toBe(readBack);
    }
  });

  it('CRC-32: without a native one, the JS loop gives zlib values at every length', () => {
    expect(browser.nativeCrc32).toBeUndefined();
    const bytes = node.randomBytes(5000);
    expect(crc32Range(bytes, 0, bytes.length, 0)).toBe(node.nativeCrc32!(bytes, 0));
  });

  it('random bytes come from the platform CSPRNG, any length', () => {
    expect(browser.randomBytes(70_000)).toHaveLength(70_000);
    expect(browser.randomBytes(16)).not.toEqual(browser.randomBytes(16));
  });

  it.each([
    ['brotli', () => browser.brotli()],
    ['brotli', () => browser.unbrotli()],
    ['lz4', () => browser.requireLz4()],
  ])('what browsers lack fails with ERR_FORMAT naming it: %s', (name, use) => {
    let err: unknown;
    try {
      use();
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ERR_FORMAT' });
    expect((err as Error).message).toContain(name);
  });
});
