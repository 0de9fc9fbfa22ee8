/**
 * The notice wire format: a receiver tells its own notices from others' by their first bytes; a
 * notice split around its meta (for a server-side script to fill in) reads as the whole one.
 */
import { describe, expect, it } from '@jest/globals';
import { announcedBy, decodeChangeNotice, encodeChangeNotice, encodeChangeNoticeAround, type ChangeNotice } from '../src/index';

const notice: ChangeNotice = { op: 'assoc', id: 'a'.repeat(64), meta: new Uint8Array([0xa0]), deleted: false };

describe('announcedBy', () => {
  it('knows a notice of its own origin without decoding it, and agrees with the decoder', () => {
    const mine = announcedBy('0123456789abcdef');
    const own = encodeChangeNotice('0123456789abcdef', notice);
    const other = encodeChangeNotice('0123456789abcdee', notice);
    expect(mine(own)).toBe(true);
    expect(mine(other)).toBe(false);
    expect(decodeChangeNotice(own)?.origin).toBe('0123456789abcdef');
    expect(decodeChangeNotice(other)?.origin).toBe('0123456789abcdee');
  });

  it('does not take an origin that only starts with its own, or bytes that are no notice', () => {
    const mine = announcedBy('abc');
    expect(mine(encodeChangeNotice('abcd', notice))).toBe(false);
    expect(mine(new TextEncoder().encode('{"v":1,"origin":"abc"'))).toBe(false);
    expect(mine(new Uint8Array(0))).toBe(false);
    expect(mine(encodeChangeNotice('abc', { ...notice, op: 'dissoc', deleted: true, path: ['x', 1] }))).toBe(true);
  });
});

describe('encodeChangeNoticeAround', () => {
  it('before + base64(meta) + after is the notice encodeChangeNotice writes, lastWrite included', () => {
    const deletion = { op: 'dissoc', id: 'b'.repeat(64), deleted: true, lastWrite: 1_796_277_660_123 } as const;
    // lengths 0 to 4 cover every base64 padding
    for (const meta of [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(1, 2), Uint8Array.of(0xff, 0xfe, 0xfd), Uint8Array.of(1, 2, 3, 4)]) {
      const { before, after } = encodeChangeNoticeAround('0123456789abcdef', deletion);
      const filled = new Uint8Array([...before, ...Buffer.from(Buffer.from(meta).toString('base64')), ...after]);
      expect(filled).toEqual(encodeChangeNotice('0123456789abcdef', { ...deletion, meta }));
      expect(decodeChangeNotice(filled)).toEqual({ origin: '0123456789abcdef', notice: { ...deletion, meta } });
      expect(announcedBy('0123456789abcdef')(filled)).toBe(true);
    }
  });

  it('a notice whose lastWrite is not a finite number is not one', () => {
    const text = new TextDecoder().decode(encodeChangeNotice('o', { ...notice, lastWrite: 5 })).replace('"lastWrite":5', '"lastWrite":"5"');
    expect(decodeChangeNotice(new TextEncoder().encode(text))).toBeUndefined();
  });
});

describe('encodeChangeNotice', () => {
  it('writes the JSON of the notice object, field for field, whatever the optional fields and characters', () => {
    const meta = Uint8Array.of(0xa1, 0x61, 0x6b, 0x01);
    const cases: ChangeNotice[] = [
      notice,
      { op: 'assocIn', id: 'c'.repeat(64), meta, deleted: false, path: ['a "quoted"\\ key', 3, 'ü\u2028'] },
      { op: 'append', id: 'd'.repeat(64), meta, deleted: false, element: 'e'.repeat(64) },
      { op: 'dissoc', id: 'f'.repeat(64), meta, deleted: true, lastWrite: 1_796_277_660_123 },
      { op: 'updateIn', id: 'g', meta, deleted: false, path: [], element: '', lastWrite: 0 },
    ];
    for (const n of cases) {
      const expected = JSON.stringify({
        v: 1,
        origin: 'or"igin',
        op: n.op,
        id: n.id,
        meta: Buffer.from(n.meta).toString('base64'),
        deleted: n.deleted,
        ...(n.path ? { path: n.path } : {}),
        ...(n.element ? { element: n.element } : {}),
        ...(n.lastWrite !== undefined ? { lastWrite: n.lastWrite } : {}),
      });
      expect(new TextDecoder().decode(encodeChangeNotice('or"igin', n))).toBe(expected);
    }
    for (const n of cases.slice(0, 4)) expect(decodeChangeNotice(encodeChangeNotice('or"igin', n))).toEqual({ origin: 'or"igin', notice: n });
  });
});
