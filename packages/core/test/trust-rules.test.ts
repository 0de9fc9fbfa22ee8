/**
 * The trust rules of DESIGN.md, against someone who can write to the storage but holds no
 * encryption key: a blob forged as unencrypted, element blobs of an encrypted log moved about,
 * decompression bombs and a blob copied under another key's id never read as data.
 * Each forgery is built here from the documented format (docs/format.md) with valid checksums.
 */
import { describe, expect, it } from '@jest/globals';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { aesGcmEncryptor, brotliCompressor, createStore, gzipCompressor, lz4Compressor, type Compressor, type Store, type StoreOptions } from '../src';
import { encodeBlob, HEADER_SIZE, parseBlob } from '../src/format/blob';
import { crc32 } from '../src/format/crc32';
import { keyRef } from '../src/format/key';
import { errorOf } from '../src/testing/util';
import { inNode } from './in-node';
import { referenceBacking } from '../src/testing/reference-backing';

const KEY = new Uint8Array(32).fill(7);
const encrypted = (): StoreOptions => ({ encryptor: aesGcmEncryptor({ key: KEY }) });

function storeOver(map: Map<string, Uint8Array>, options: StoreOptions = {}): Store {
  return createStore(referenceBacking({ map }), options);
}

/** Sets a blob's format version byte and recomputes the head checksum, as a forger would. */
function withVersion(blob: Uint8Array, version: number): Uint8Array {
  const out = Uint8Array.from(blob);
  out[4] = version;
  const metaEnd = HEADER_SIZE + new DataView(out.buffer).getUint32(8, true);
  const crc = crc32(out.subarray(HEADER_SIZE, metaEnd), crc32(out.subarray(0, 24)));
  new DataView(out.buffer).setUint32(24, crc, true);
  return out;
}

/** The element blob ids of the log under `key`, in order. */
function elementIds(map: Map<string, Uint8Array>, key: string): string[] {
  const prefix = `${keyRef(key).id}.`;
  return [...map.keys()].filter((id) => id.startsWith(prefix)).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
}

async function logOf(store: Store, key: string): Promise<unknown[]> {
  return lastValueFrom(store.log(key).pipe(toArray()));
}

describe('a store with an encryptor refuses unencrypted blobs (issue #14.3)', () => {
  it('a value forged as unencrypted (encryptor id 0) fails with ERR_DECRYPT on get, update, getIn and multiGet', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, encrypted());
    await firstValueFrom(store.assoc('account', { owner: 'alice' }));
    // the forger writes the blob a store without an encryptor would write: valid checksums, id 0
    await firstValueFrom(storeOver(map).assoc('account', { owner: 'mallory' }));
    expect(parseBlob(map.get(keyRef('account').id)!, 'account').encryptor).toBe(0);
    for (const op of [store.get('account'), store.update('account', (v) => v), store.getIn(['account', 'owner'])]) {
      const err = await errorOf(op);
      expect([err.code, err.key]).toEqual(['ERR_DECRYPT', 'account']);
    }
    expect((await errorOf(store.multiGet(['account']))).code).toBe('ERR_DECRYPT');
  });

  it('an unencrypted append log (head and elements) fails with ERR_DECRYPT', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map).append('journal', 'forged'));
    expect((await errorOf(storeOver(map, encrypted()).log('journal'))).code).toBe('ERR_DECRYPT');
  });

  it('readUnencryptedForMigration: true reads unencrypted blobs, and the next write encrypts', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map).assoc('legacy', { n: 1 }));
    const migrating = storeOver(map, { ...encrypted(), readUnencryptedForMigration: true });
    expect(await firstValueFrom(migrating.get('legacy'))).toEqual({ n: 1 });
    await firstValueFrom(migrating.update('legacy', (v: { n: number }) => ({ n: v.n + 1 })));
    expect(parseBlob(map.get(keyRef('legacy').id)!, 'legacy').encryptor).toBe(2);
    expect(await firstValueFrom(storeOver(map, encrypted()).get('legacy'))).toEqual({ n: 2 });
  });
});

describe('encrypted append-log elements are bound to their log, generation and position (issue #14.4)', () => {
  async function encryptedLog(map: Map<string, Uint8Array>): Promise<Store> {
    const store = storeOver(map, encrypted());
    for (const e of ['a', 'b', 'c']) await firstValueFrom(store.append('journal', e));
    expect(await logOf(store, 'journal')).toEqual(['a', 'b', 'c']);
    return store;
  }

  it('swapping two element blobs fails with ERR_DECRYPT instead of reordering log()', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await encryptedLog(map);
    const [first, second] = elementIds(map, 'journal') as [string, string];
    const a = map.get(first)!;
    map.set(first, map.get(second)!);
    map.set(second, a);
    const err = await errorOf(store.log('journal'));
    expect([err.code, err.key]).toEqual(['ERR_DECRYPT', 'journal']);
  });

  it('copying an element blob over another fails with ERR_DECRYPT instead of duplicating it', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await encryptedLog(map);
    const [first, , third] = elementIds(map, 'journal') as [string, string, string];
    map.set(third, map.get(first)!);
    expect((await errorOf(store.log('journal'))).code).toBe('ERR_DECRYPT');
  });

  it('an element from an earlier generation of the same key fails with ERR_DECRYPT', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await encryptedLog(map);
    const old = map.get(elementIds(map, 'journal')[0]!)!;
    await firstValueFrom(store.dissoc('journal'));
    await firstValueFrom(store.append('journal', 'new'));
    map.set(elementIds(map, 'journal')[0]!, old);
    expect((await errorOf(store.log('journal'))).code).toBe('ERR_DECRYPT');
  });

  it('an element copied over the log head fails with ERR_DECRYPT', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await encryptedLog(map);
    map.set(keyRef('journal').id, map.get(elementIds(map, 'journal')[0]!)!);
    expect((await errorOf(store.log('journal'))).code).toBe('ERR_DECRYPT');
  });
});

describe('decompression is bounded by the size recorded at write time (issue #14.5)', () => {
  /** CBOR for a byte string of `n` zero bytes: a value the serializer would accept. */
  function zeroBytesCbor(n: number): Buffer {
    const head = Buffer.from([0x5a, 0, 0, 0, 0]);
    head.writeUInt32BE(n, 1);
    return Buffer.concat([head, Buffer.alloc(n)]);
  }

  it('a gzip bomb in a version-1 blob (which records no size) fails with ERR_CORRUPT, over the default bound', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { compressor: gzipCompressor() });
    await firstValueFrom(store.assoc('k', 'small'));
    const header = parseBlob(map.get(keyRef('k').id)!, 'k');
    const { meta } = header;
    // a CBOR byte string of 100 MiB zeros (more than the 64 MiB default of maxDecompressedBytes)
    // from a ~100 KB blob: gzip members in a row decompress to their contents in a row
    const cborHead = zeroBytesCbor(0);
    cborHead.writeUInt32BE(100 * 2 ** 20, 1);
    const MiBOfZeros = gzipSync(Buffer.alloc(2 ** 20));
    const bomb = Buffer.concat([gzipSync(cborHead), ...Array<Buffer>(100).fill(MiBOfZeros)]);
    map.set(keyRef('k').id, withVersion(encodeBlob(header, meta, bomb), 1));
    const err = await errorOf(store.get('k'));
    expect([err.code, err.key]).toEqual(['ERR_CORRUPT', 'k']);
  });

  const bombs: Array<[string, () => Compressor, (b: Buffer) => Uint8Array]> = [
    ['gzip', gzipCompressor, (b) => gzipSync(b, { level: 1 })],
    ['brotli', brotliCompressor, (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })],
    ['lz4', lz4Compressor, (b) => inNode(lz4Compressor()).compress(b)],
  ];
  it.each(bombs)('a %s payload larger than the size its blob records fails with ERR_CORRUPT', async (_name, compressor, compress) => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { compressor: compressor() });
    await firstValueFrom(store.assoc('k', 'small'));
    const header = parseBlob(map.get(keyRef('k').id)!, 'k');
    const { meta, value } = header;
    // version 2 compressed value bytes: the uncompressed size (u64 LE), then the compressed bytes;
    // the forger keeps the recorded size of 'small' and puts 8 MB behind it
    const forged = Buffer.concat([value.subarray(0, 8), compress(zeroBytesCbor(8 * 2 ** 20))]);
    map.set(keyRef('k').id, withVersion(encodeBlob(header, meta, forged), 2));
    const err = await errorOf(store.get('k'));
    expect([err.code, err.key]).toEqual(['ERR_CORRUPT', 'k']);
  });

  it('a compressed write larger than maxDecompressedBytes fails with ERR_INVALID_ARGUMENT and writes nothing', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { compressor: gzipCompressor(), maxDecompressedBytes: 1024 });
    expect((await errorOf(store.assoc('k', 'x'.repeat(2000)))).code).toBe('ERR_INVALID_ARGUMENT');
    expect(map.size).toBe(0);
    await firstValueFrom(store.assoc('k', 'x'.repeat(1000)));
    expect(await firstValueFrom(store.get('k'))).toBe('x'.repeat(1000));
  });
});

describe("a blob under another key's id fails with ERR_CORRUPT (issue #14.9)", () => {
  async function copied(from: unknown, to: unknown, meta?: Record<string, unknown>): Promise<{ map: Map<string, Uint8Array>; store: Store }> {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map);
    await firstValueFrom(store.assoc(from as string, { owner: 'from' }, meta ? { meta } : undefined));
    await firstValueFrom(store.assoc(to as string, { owner: 'to' }, meta ? { meta } : undefined));
    map.set(keyRef(to).id, map.get(keyRef(from).id)!);
    return { map, store };
  }

  it.each([
    ['string keys', 'alice', 'mallory', undefined],
    ['non-ASCII string keys', 'Grüße', 'Grüßen', undefined],
    ['structured keys', ['user', 1], ['user', 2], undefined],
    ['keys with user metadata', 'alice', 'mallory', { tag: 'x' }],
  ])('%s: get, getMeta, exists, update, getIn and multiGet fail with ERR_CORRUPT naming the key asked for', async (_label, from, to, meta) => {
    const { store } = await copied(from, to, meta);
    const k = to as string;
    for (const op of [store.get(k), store.getMeta(k), store.exists(k), store.update(k, (v) => v), store.getIn([k, 'owner'])]) {
      const err = await errorOf(op as never);
      expect([err.code, err.key]).toEqual(['ERR_CORRUPT', to]);
    }
    expect((await errorOf(store.multiGet([k]))).code).toBe('ERR_CORRUPT');
    expect(await firstValueFrom(store.get(from as string))).toEqual({ owner: 'from' });
  });

  it('keys() does not list the copied key twice and reports ERR_CORRUPT for the blob under the wrong id', async () => {
    const { store } = await copied('alice', 'mallory');
    const listed: unknown[] = [];
    const reported: { code?: string; path?: string }[] = [];
    await new Promise<void>((resolve, reject) =>
      store.keys({ onDamaged: (e) => void reported.push(e) }).subscribe({ next: (m) => listed.push(m.key), error: reject, complete: resolve }),
    );
    expect(listed.filter((k) => k === 'alice')).toHaveLength(1);
    expect(reported).toEqual([expect.objectContaining({ code: 'ERR_CORRUPT', path: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    // with onDamaged: 'fail' the listing ends with that error
    const failed = await new Promise<{ code?: string } | undefined>((resolve) =>
      store.keys({ onDamaged: 'fail' }).subscribe({ error: resolve, complete: () => resolve(undefined) }),
    );
    expect(failed?.code).toBe('ERR_CORRUPT');
  });

  it.each([
    ['whole reads', false],
    ['positional reads (open)', true],
  ])('bget of a binary copied from another key fails with ERR_CORRUPT (%s)', async (_label, positional) => {
    const map = new Map<string, Uint8Array>();
    const plain = referenceBacking({ map });
    // the handle path reads the head and then the value in place, as the file backing does
    const open = (id: string) => {
      const b = map.get(id);
      return b && { size: b.length, read: (at: number, n: number) => b.slice(at, at + n), close: () => undefined };
    };
    const store = createStore(positional ? { ...plain, open } : plain);
    await firstValueFrom(store.bassoc('mine', 'my bytes'));
    await firstValueFrom(store.bassoc('theirs', 'forged bytes'));
    map.set(keyRef('mine').id, map.get(keyRef('theirs').id)!);
    const err = await errorOf(store.bget('mine', (blob) => blob.bytes()));
    expect([err.code, err.key]).toEqual(['ERR_CORRUPT', 'mine']);
  });

  it('an element blob copied from another log fails with ERR_CORRUPT', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map);
    await firstValueFrom(store.append('mine', 'ok'));
    await firstValueFrom(store.append('theirs', 'forged'));
    map.set(elementIds(map, 'mine')[0]!, map.get(elementIds(map, 'theirs')[0]!)!);
    const err = await errorOf(store.log('mine'));
    expect([err.code, err.key]).toEqual(['ERR_CORRUPT', 'mine']);
  });

  it('reads back keys of every shape, including lone surrogates, user metadata and long keys', async () => {
    const store = storeOver(new Map());
    const keys: unknown[] = ['k', 'ü', '\ud800', 'x\udfff'.repeat(40), 'long'.repeat(100), 7, -0, 1.5, ['a', { b: [1, 'c'] }], { z: 1, a: 'ü' }];
    for (const [i, k] of keys.entries()) {
      await firstValueFrom(store.assoc(k as string, i, i % 2 ? { meta: { i } } : undefined));
      expect([k, await firstValueFrom(store.get(k as string))]).toEqual([k, i]);
      expect(await firstValueFrom(store.exists(k as string))).toBe(true);
    }
    expect(await lastValueFrom(store.keys().pipe(toArray()))).toHaveLength(keys.length);
  });
});
