/**
 * Codecs through a Store: each blob records its codecs so a store reopened with other settings
 * reads old and new blobs; ids it cannot read fail with ERR_FORMAT naming them; values the
 * serializer cannot encode fail with ERR_NOT_SERIALIZABLE and write nothing. Every serializer x
 * compressor x encryptor combination is covered by the codec compliance area (codecs-compliance.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  aesGcmEncryptor,
  brotliCompressor,
  cborSerializer,
  createStore,
  gzipCompressor,
  jsonSerializer,
  lz4Compressor,
  TaggedValue,
  type Compressor,
  type Serializer,
  type StoreOptions,
} from '../src';
import { parseBlob } from '../src/format/blob';
import { MONEY, Money } from '../src/testing/codec-values';
import { errorOf } from '../src/testing/util';
import { referenceBacking } from '../src/testing/reference-backing';

const KEY = new Uint8Array(32).fill(3);

const storeOver = (map: Map<string, Uint8Array>, options: StoreOptions = {}) => createStore(referenceBacking({ map }), options);
const headersOf = (map: Map<string, Uint8Array>) => [...map.values()].map((b) => parseBlob(b, 'any'));

/** A compressor of a user's own, with a user id. */
const reverseCompressor: Compressor = { id: 200, name: 'reverse', compress: (b) => b.slice().reverse(), decompress: (b) => b.slice().reverse() };
/** A serializer of a user's own, with a user id. */
const stringSerializer: Serializer = {
  id: 130,
  name: 'string',
  encode: (v) => new TextEncoder().encode(String(v)),
  decode: (b) => new TextDecoder().decode(b),
};

describe('reading blobs written with other settings', () => {
  it('reads gzip+json blobs after reopening with brotli+cbor, and both kinds after writing new ones', async () => {
    const map = new Map<string, Uint8Array>();
    const old = storeOver(map, { serializer: jsonSerializer({ types: [MONEY] }), compressor: gzipCompressor() });
    await firstValueFrom(old.assoc('old', { price: new Money(1, 'EUR'), when: new Date(5), ids: new Set([1]) }));
    await firstValueFrom(old.append('log', 'first'));

    const reopened = storeOver(map, {
      serializer: cborSerializer({ types: [MONEY] }),
      compressor: brotliCompressor(),
      readers: [jsonSerializer({ types: [MONEY] })],
    });
    await firstValueFrom(reopened.assoc('new', { price: new Money(2, 'USD') }));
    await firstValueFrom(reopened.append('log', 'second'));
    expect(await firstValueFrom(reopened.get('old'))).toEqual({ price: new Money(1, 'EUR'), when: new Date(5), ids: new Set([1]) });
    expect(await firstValueFrom(reopened.get('new'))).toEqual({ price: new Money(2, 'USD') });
    expect(await lastValueFrom(reopened.log('log').pipe(toArray()))).toEqual(['first', 'second']);

    const ids = headersOf(map).map((h) => `${h.serializer}/${h.compressor}`);
    expect(ids).toContain('2/1');
    expect(ids).toContain('1/2');
  });

  it('reads every built-in serializer and compressor without being told (default options)', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { serializer: jsonSerializer(), compressor: lz4Compressor() }).assoc('a', { x: [1n] }));
    await firstValueFrom(storeOver(map, { compressor: brotliCompressor() }).assoc('b', 2));
    const plain = storeOver(map);
    expect(await firstValueFrom(plain.multiGet(['a', 'b']))).toEqual(
      new Map<string, unknown>([
        ['a', { x: [1n] }],
        ['b', 2],
      ]),
    );
  });

  it('reads custom types as TaggedValue through a serializer that lacks them, never failing', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { serializer: jsonSerializer({ types: [MONEY] }) }).assoc('m', new Money(3, 'CHF')));
    const v = await firstValueFrom(storeOver(map).get('m'));
    expect(v).toBeInstanceOf(TaggedValue);
    expect(v).toMatchObject({ tag: 40501, value: [3, 'CHF'] });
  });

  it('lets a reader with the same id replace the built-in (custom types when reading JSON blobs)', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { serializer: jsonSerializer({ types: [MONEY] }) }).assoc('m', new Money(3, 'CHF')));
    const store = storeOver(map, { serializer: cborSerializer({ types: [MONEY] }), readers: [jsonSerializer({ types: [MONEY] })] });
    expect(await firstValueFrom(store.get('m'))).toBeInstanceOf(Money);
  });

  it('writes with the CBOR serializer given in readers when no serializer is set, keeping its types', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { readers: [cborSerializer({ types: [MONEY] })] }).assoc('m', new Money(4, 'EUR')));
    expect(await firstValueFrom(storeOver(map, { serializer: cborSerializer({ types: [MONEY] }) }).get('m'))).toBeInstanceOf(Money);
  });
});

describe('ids a store cannot read', () => {
  it.each([
    ['compressor', { compressor: reverseCompressor }, /compressor id 200/],
    ['serializer', { serializer: stringSerializer }, /serializer id 130/],
    ['encryptor', { encryptor: aesGcmEncryptor({ key: KEY }) }, /encryptor id 2/],
  ])('fail with ERR_FORMAT naming the %s id, for that key only; listing and meta still work', async (_kind, options, named) => {
    const map = new Map<string, Uint8Array>();
    const writer = storeOver(map, options as StoreOptions);
    await firstValueFrom(writer.assoc('k', 'value'));
    await firstValueFrom(writer.assoc('other', 'x'));
    const reader = storeOver(map);
    const err = await errorOf(reader.get('k'));
    expect(err.code).toBe('ERR_FORMAT');
    expect(err.key).toBe('k');
    expect(err.message).toMatch(named);
    expect((await firstValueFrom(reader.getMeta('k')))?.type).toBe('value');
    expect((await lastValueFrom(reader.keys().pipe(toArray()))).map((m) => m.key).sort()).toEqual(['k', 'other']);
    // with the codec in readers the same blob reads
    expect(await firstValueFrom(storeOver(map, { readers: [Object.values(options)[0]!] }).get('k'))).toBe('value');
  });

  it('rejects a codec with an id outside 1..255 or of no known kind (ERR_INVALID_ARGUMENT)', () => {
    expect(() => storeOver(new Map(), { compressor: { ...reverseCompressor, id: 0 } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => storeOver(new Map(), { serializer: { ...stringSerializer, id: 256 } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => storeOver(new Map(), { readers: [{ id: 5, name: 'odd' } as unknown as Compressor] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('values a serializer cannot encode', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const VALUES: [string, unknown][] = [
    ['a function', { f: () => 1 }],
    ['a symbol', [Symbol('s')]],
    ['a cycle', cyclic],
  ];
  const SERIALIZERS: [string, () => Serializer][] = [
    ['cbor', () => cborSerializer({ types: [MONEY] })],
    ['json', () => jsonSerializer({ types: [MONEY] })],
  ];
  for (const [name, make] of SERIALIZERS) {
    it.each(VALUES)(`${name} + gzip + aes: %s fails with ERR_NOT_SERIALIZABLE and writes nothing`, async (_label, value) => {
      const map = new Map<string, Uint8Array>();
      const store = storeOver(map, { serializer: make(), compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key: KEY }) });
      const err = await errorOf(store.assoc('k', value));
      expect(err.code).toBe('ERR_NOT_SERIALIZABLE');
      expect(err.key).toBe('k');
      expect(map.size).toBe(0);
    });
  }
});

describe("the serializer's transient bytes (encodeTransient)", () => {
  it('are the bytes encode writes, in a buffer the next transient encoding reuses', () => {
    const serializer = cborSerializer();
    const values = [{ a: 1, s: 'x'.repeat(100) }, [1, 2, 3], 'text', { nested: { deep: [true, null, 1.5] } }];
    let previous: Uint8Array | undefined;
    for (const v of values) {
      const transient = serializer.encodeTransient!(v);
      expect([...transient]).toEqual([...serializer.encode(v)]);
      // the saving itself: no fresh buffer per value
      if (previous !== undefined) expect(serializer.encodeTransient!(v).buffer).toBe(previous.buffer);
      previous = serializer.encodeTransient!(v);
    }
  });

  it('survive into the blob whatever the Meta: user fields and expiry are CBOR-encoded before the value', async () => {
    // an uncommon Meta goes through cbor-x, whose one buffer holds transient bytes: had it been
    // encoded after the value, it would have overwritten the value before the copy into the blob
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map);
    const value = (i: number) => ({ i, text: `value number ${i} `.repeat(i % 7), list: [i, i * 2, `s${i}`] });
    for (let i = 0; i < 60; i++) {
      const options = i % 3 === 0 ? { meta: { by: `writer ${i}`, n: i } } : i % 3 === 1 ? { ttl: 3_600_000 } : undefined;
      await lastValueFrom(store.assoc(`k${i}`, value(i), options));
    }
    for (let i = 0; i < 60; i++) expect(await firstValueFrom(store.get(`k${i}`))).toEqual(value(i));
    expect(await firstValueFrom(store.getMeta('k3'))).toMatchObject({ by: 'writer 3', n: 3 });
  });

  it('are not used under a compressor or encryptor (they read the bytes later, maybe asynchronously)', async () => {
    const calls: string[] = [];
    const inner = cborSerializer();
    const serializer: Serializer = {
      ...inner,
      encode: (v) => (calls.push('encode'), inner.encode(v)),
      encodeTransient: (v) => (calls.push('transient'), inner.encodeTransient!(v)),
    };
    const plain = storeOver(new Map(), { serializer });
    await lastValueFrom(plain.assoc('k', { a: 1 }));
    const compressed = storeOver(new Map(), { serializer, compressor: gzipCompressor() });
    await lastValueFrom(compressed.assoc('k', { a: 1 }));
    const sealed = storeOver(new Map(), { serializer, encryptor: aesGcmEncryptor({ key: KEY }) });
    await lastValueFrom(sealed.assoc('k', { a: 1 }));
    expect(calls).toEqual(['transient', 'encode', 'encode']);
    expect(await firstValueFrom(sealed.get('k'))).toEqual({ a: 1 });
  });
});
