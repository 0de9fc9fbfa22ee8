/**
 * The read path of `get`: fresh copies, the same errors over synchronous and asynchronous
 * backings, blobs that live at an offset inside a larger buffer (as Node's pooled Buffers do),
 * the string key cache, and checks remembered per immutable blob array.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { createStore, isKonserveError } from '../src';
import { parseBlob } from '../src/format/blob';
import { canonicalKey, keyRef } from '../src/format/key';
import { referenceBacking } from '../src/testing/reference-backing';

const DOC = { name: 'Ada', tags: ['x', 'y'], at: new Date(Date.UTC(2024, 0, 1)), n: 42 };

function errorOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return isKonserveError(e) ? e.code : `not a KonserveError: ${String(e)}`;
  }
}

describe('get', () => {
  it('reads values from blobs at an offset inside a larger buffer (pooled Buffers)', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(createStore(referenceBacking({ map })).assoc('k', DOC));
    for (const [id, blob] of map) {
      const host = Buffer.alloc(blob.length + 11);
      host.set(blob, 5);
      map.set(id, host.subarray(5, 5 + blob.length));
    }
    expect(await firstValueFrom(createStore(referenceBacking({ map })).get('k'))).toEqual(DOC);
  });

  it('returns a binary as a fresh plain Uint8Array: mutating it leaves the stored bytes alone', async () => {
    const map = new Map<string, Uint8Array>();
    const backing = referenceBacking({ map });
    // a backing that hands out its stored bytes themselves (like the memory backing), as a Buffer,
    // whose slice() is a view and not a copy
    const sharing = { ...backing, read: (id: string) => map.get(id) && Buffer.from(map.get(id)!.buffer, map.get(id)!.byteOffset, map.get(id)!.length) };
    const store = createStore(sharing);
    await firstValueFrom(store.bassoc('bin', new Uint8Array([1, 2, 3])));
    const first = (await firstValueFrom(store.get('bin'))) as Uint8Array;
    expect(first.constructor).toBe(Uint8Array);
    first[0] = 99;
    expect(Array.from((await firstValueFrom(store.get('bin'))) as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('fails with ERR_CORRUPT for a damaged value through an asynchronous backing too', async () => {
    const map = new Map<string, Uint8Array>();
    const store = createStore(referenceBacking({ map, async: true }));
    await firstValueFrom(store.assoc('k', DOC));
    const blob = [...map.values()][0]!;
    blob[blob.length - 3] = blob[blob.length - 3]! ^ 0x04;
    await expect(firstValueFrom(store.get('k'))).rejects.toMatchObject({ code: 'ERR_CORRUPT', key: 'k' });
  });
});

describe('keyRef', () => {
  it('gives a string key the same canonical form and id on every call, cached or not', () => {
    const first = keyRef('user/1');
    const again = keyRef('user/1');
    expect(again).toEqual(first);
    expect(first.canonical).toBe(canonicalKey('user/1'));
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps a string key apart from a structured key whose canonical form is that string', () => {
    // the string '[1]' and the array [1] must not share a cache entry, nor an id
    const array = keyRef([1]);
    expect(array.canonical).toBe('[1]');
    expect(keyRef('[1]').id).not.toBe(array.id);
    expect(keyRef([1]).id).toBe(array.id);
  });

  it('still rejects an over-long string key on every call (rejections are never cached)', () => {
    const long = 'x'.repeat(20000);
    expect(() => keyRef(long)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }));
    expect(() => keyRef(long)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }));
  });
});

describe('checks remembered per blob array (backings that keep blobs in memory)', () => {
  it('checks a blob once per array: rereads of the same array skip the checksums, a damaged replacement is still caught', () => {
    const map = new Map<string, Uint8Array>();
    // the reference backing, but handing back its own arrays, as the memory backing does
    const backing = { ...referenceBacking({ map }), read: (id: string) => map.get(id) };
    const store = createStore(backing);
    store.assoc('k', DOC).subscribe();
    const id = keyRef('k').id;
    const stored = map.get(id)!;
    let got: unknown;
    store.get('k').subscribe((v) => (got = v));
    expect(got).toEqual(DOC);
    // the same array again gives the same value (and a fresh copy)
    let again: unknown;
    store.get('k').subscribe((v) => (again = v));
    expect(again).toEqual(DOC);
    expect(again).not.toBe(got);
    // new bytes come in a new array: a damaged copy is checked and fails
    const damaged = Uint8Array.from(stored);
    damaged[damaged.length - 1]! ^= 0x01;
    map.set(id, damaged);
    let error: unknown;
    store.get('k').subscribe({ error: (e) => (error = e) });
    expect(error).toMatchObject({ code: 'ERR_CORRUPT', key: 'k' });
    // an array that failed is never remembered: it fails again
    expect(errorOf(() => parseBlob(damaged, 'k'))).toBe('ERR_CORRUPT');
  });

  it('keeps the parts of an array from its second parse on: a blob read once leaves nothing behind but a mark', () => {
    const map = new Map<string, Uint8Array>();
    createStore(referenceBacking({ map })).assoc('k', DOC).subscribe();
    const bytes = Uint8Array.from(map.get(keyRef('k').id)!);
    const first = parseBlob(bytes, 'k', true);
    const second = parseBlob(bytes, 'k', true);
    // the first parse was not kept; the second is, and every later one is that one
    expect(second).not.toBe(first);
    expect(parseBlob(bytes, 'k', true)).toBe(second);
    expect(second.value).toEqual(first.value);
    // without `remember` nothing is kept or looked up
    const loose = Uint8Array.from(bytes);
    expect(parseBlob(loose, 'k')).not.toBe(parseBlob(loose, 'k'));
  });

  it('marks a stable array invisibly, and checks on every read an array that cannot be marked', () => {
    const map = new Map<string, Uint8Array>();
    createStore(referenceBacking({ map })).assoc('k', DOC).subscribe();
    const bytes = Uint8Array.from(map.get(keyRef('k').id)!);
    const copy = Uint8Array.from(bytes);
    parseBlob(bytes, 'k', true);
    parseBlob(bytes, 'k', true);
    // what a backing or its user sees of the array is unchanged
    expect(Object.keys(bytes)).toEqual(Object.keys(copy));
    expect(JSON.stringify(bytes)).toBe(JSON.stringify(copy));
    expect(bytes).toEqual(copy);
    // a backing that hands out non-extensible arrays: parsed afresh each time, and still checked
    const sealed = Object.preventExtensions(Uint8Array.from(bytes));
    const a = parseBlob(sealed, 'k', true);
    const b = parseBlob(sealed, 'k', true);
    expect(b).not.toBe(a);
    expect(b.value).toEqual(a.value);
    const damaged = Uint8Array.from(bytes);
    damaged[damaged.length - 1]! ^= 0x01;
    expect(errorOf(() => parseBlob(Object.preventExtensions(damaged), 'k', true))).toBe('ERR_CORRUPT');
  });
});
