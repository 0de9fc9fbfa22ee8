/** The hand-written Meta encoder must write exactly what cbor-x writes, or old readers would differ. */
import { describe, expect, it } from '@jest/globals';
import { Encoder } from 'cbor-x';
import { builtMetaSize, decodeMeta, encodeMeta, writeBuiltMeta } from '../src/format/meta';
import type { Meta } from '../src';

const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

describe('Meta encoding', () => {
  const keys = [
    'k',
    '',
    'ü-ключ',
    'x'.repeat(300),
    'y'.repeat(23),
    'y'.repeat(24),
    'y'.repeat(255),
    'y'.repeat(256),
    'z'.repeat(70000),
    'emoji 😀 key',
    'é'.repeat(40),
    'lone \ud800 short',
    `lone \udc00 long ${'w'.repeat(80)}`,
    'pair \ud83d\ude00 then lone \ud83d',
    0,
    -7,
    2.5,
    1e20,
    ['a', 1],
    { b: 1, a: [2] },
  ];
  const times = [0, 1_700_000_000_000, 1_700_000_000_123, -1000, -1, 2 ** 32 * 1000, 8.64e15];
  const types = ['value', 'binary', 'append-log'] as const;

  it('writes the same bytes as cbor-x for every key, type and time', () => {
    for (const key of keys) {
      for (const ms of times) {
        for (const type of types) {
          const meta: Meta = { key, type, lastWrite: new Date(ms) };
          expect(Buffer.from(encodeMeta(meta)).toString('hex')).toBe(Buffer.from(cbor.encode(meta)).toString('hex'));
          // a lone surrogate does not survive UTF-8 (in cbor-x either): only the bytes must match
          if (!loneSurrogate(key)) expect(decodeMeta(encodeMeta(meta), key)).toEqual(meta);
        }
      }
    }
  });

  it('writes the same bytes in place inside a blob, for every Meta it sizes', () => {
    let inPlace = 0;
    for (const key of keys) {
      for (const ms of times) {
        const meta: Meta = { key, type: 'value', lastWrite: new Date(ms) };
        const size = builtMetaSize(meta);
        // only a well-formed string key is written in place; any other goes through encodeMeta
        expect(size < 0).toBe(typeof key !== 'string' || loneSurrogate(key));
        if (size < 0) continue;
        const out = new Uint8Array(size + 40).fill(0xee);
        writeBuiltMeta(out, 28, meta);
        expect(Buffer.from(out.subarray(28, 28 + size)).toString('hex')).toBe(Buffer.from(encodeMeta(meta)).toString('hex'));
        // nothing written outside its place
        expect(out.subarray(0, 28).every((b) => b === 0xee) && out.subarray(28 + size).every((b) => b === 0xee)).toBe(true);
        inPlace++;
      }
    }
    expect(inPlace).toBeGreaterThan(50);
    // user fields are never written in place
    expect(builtMetaSize({ owner: 'me', key: 'k', type: 'value', lastWrite: new Date(5) })).toBe(-1);
    expect(builtMetaSize({ key: 'k', type: 'value', lastWrite: new Date(5), expiresAt: 9 })).toBe(-1);
  });

  it('keeps user fields (through cbor-x) and their order', () => {
    const meta: Meta = { owner: 'me', key: 'k', type: 'value', lastWrite: new Date(5) };
    expect(decodeMeta(encodeMeta(meta), 'k')).toEqual(meta);
  });
});

function loneSurrogate(key: unknown): boolean {
  return typeof key === 'string' && !(key as string & { isWellFormed(): boolean }).isWellFormed();
}
