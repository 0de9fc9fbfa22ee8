/** The notice wire format: a receiver tells its own notices from others' by their first bytes. */
import { describe, expect, it } from '@jest/globals';
import { announcedBy, decodeChangeNotice, encodeChangeNotice, type ChangeNotice } from '../src/index';

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
