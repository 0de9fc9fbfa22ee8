/**
 * Codecs over the file backend: a folder written with gzip+json and reopened with brotli+cbor, and
 * encryption on disk (no plaintext in any file; a wrong key fails with ERR_DECRYPT). Every codec
 * combination is proven once, in core's codec compliance area: codecs sit above the bytes fs moves.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  aesGcmEncryptor,
  brotliCompressor,
  cborSerializer,
  gzipCompressor,
  jsonSerializer,
  type CustomType,
  type Store,
  type StoreOptions,
} from '@konserve-rx/core';
import { connectFileStore } from '@konserve-rx/fs';
import { filesUnder, removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const KEY = new Uint8Array(32).fill(5);

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}
const MONEY: CustomType<Money, [number, string]> = { tag: 40501, type: Money, encode: (m) => [m.amount, m.currency], decode: ([a, c]) => new Money(a, c) };

const open = (path: string, options: StoreOptions): Promise<Store> => firstValueFrom(connectFileStore({ path, fsync: false, ...options }));
const close = (store: Store): Promise<unknown> => lastValueFrom(store.close(), { defaultValue: undefined });

describe('fs: codecs on disk', () => {
  it('reads a folder written with gzip+json after reopening it with brotli+cbor, old and new values alike', async () => {
    const path = tempDir();
    const old = await open(path, { serializer: jsonSerializer({ types: [MONEY] }), compressor: gzipCompressor() });
    await firstValueFrom(old.assoc('old', { price: new Money(1, 'EUR'), at: new Date(9) }));
    await firstValueFrom(old.append('log', 1));
    await close(old);

    const reopened = await open(path, {
      serializer: cborSerializer({ types: [MONEY] }),
      compressor: brotliCompressor(),
      readers: [jsonSerializer({ types: [MONEY] })],
    });
    await firstValueFrom(reopened.assoc('new', { price: new Money(2, 'USD') }));
    await firstValueFrom(reopened.append('log', 2));
    expect(await firstValueFrom(reopened.get('old'))).toEqual({ price: new Money(1, 'EUR'), at: new Date(9) });
    expect(await firstValueFrom(reopened.get('new'))).toEqual({ price: new Money(2, 'USD') });
    expect(await lastValueFrom(reopened.log('log').pipe(toArray()))).toEqual([1, 2]);
    await close(reopened);
  });

  it('writes no plaintext to disk with AES-GCM, and a wrong key fails with ERR_DECRYPT', async () => {
    const path = tempDir();
    const store = await open(path, { encryptor: aesGcmEncryptor({ key: KEY }) });
    await firstValueFrom(store.assoc('secret', { text: 'the plaintext marker' }));
    await close(store);
    for (const file of await filesUnder(path)) expect(readFileSync(join(path, file)).includes('plaintext marker')).toBe(false);

    const wrong = await open(path, { encryptor: aesGcmEncryptor({ key: new Uint8Array(32).fill(6) }) });
    await expect(firstValueFrom(wrong.get('secret'))).rejects.toMatchObject({ code: 'ERR_DECRYPT', key: 'secret' });
    await close(wrong);
  });
});
