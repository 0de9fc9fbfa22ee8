/**
 * Asynchronous codecs: core's browser platform (gzip through CompressionStream, AES-256-GCM through
 * Web Crypto, both answering with promises), run here in Node 20, which has those Web APIs. Every
 * module of core in this file uses the browser side of the seam (`#platform` resolves to
 * platform/browser.ts, as a browser bundle resolves it), so the whole compliance suite runs over
 * promise-returning codecs; the bytes are checked against the Node side, and the same checks run
 * in real Chromium (packages/indexeddb/test/browser.test.ts).
 */
import { describe, expect, it, jest } from '@jest/globals';
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { aesGcmEncryptor, brotliCompressor, createStore, gzipCompressor, lz4Compressor, type StoreOptions } from '../src';
import * as browser from '../src/platform/browser';
import { errorOf } from '../src/testing/util';
import { referenceBacking } from '../src/testing/reference-backing';

jest.mock('#platform', () => jest.requireActual('../src/platform/browser'));
// the mock replaces the module `#platform` maps to, node.ts: its real exports, for comparison
const node = jest.requireActual<typeof import('../src/platform/node')>('../src/platform/node');

const KEY = new Uint8Array(32).fill(42);
const OTHER_KEY = new Uint8Array(32).fill(43);
const VALUE = { text: 'héllo ✓ '.repeat(40), n: [1, 2, 3], at: new Date(Date.UTC(2026, 11, 3)) };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const COMBINATIONS: [string, () => StoreOptions][] = [
  ['gzip', () => ({ compressor: gzipCompressor() })],
  ['aes-256-gcm', () => ({ encryptor: aesGcmEncryptor({ key: KEY }) })],
  ['gzip+aes-256-gcm', () => ({ compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key: KEY }) })],
];

// over a backing that answers with promises, as IndexedDB does: over memory, a missing key would
// answer at once and a present one after the codec, and rxjs's merge recurses through each run of
// synchronous answers (the compliance suite's 900 queued misses pass its stack depth)
for (const [name, options] of COMBINATIONS) {
  runStoreCompliance({ name: `asynchronous backing with browser ${name}`, connect: () => of(createStore(referenceBacking({ async: true }), options())) });
}

describe('browser codecs read and write the bytes of the Node codecs', () => {
  const bytes = node.utf8Encode(JSON.stringify(VALUE));

  it('gzip: each side decompresses what the other compressed', async () => {
    expect(browser.gzip(bytes, 6)).toBeInstanceOf(Promise);
    expect(hex(node.gunzip(await browser.gzip(bytes, 6), undefined))).toBe(hex(bytes));
    expect(hex(await browser.gunzip(node.gzip(bytes, 9), undefined))).toBe(hex(bytes));
  });

  it('gunzip stops at the bound with ERR_BUFFER_TOO_LARGE, like node:zlib', async () => {
    const bomb = node.gzip(new Uint8Array(4 * 2 ** 20), 9);
    await expect(browser.gunzip(bomb, 2 ** 20)).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
    expect(() => node.gunzip(bomb, 2 ** 20)).toThrow(expect.objectContaining({ code: 'ERR_BUFFER_TOO_LARGE' }));
  });

  it('AES-256-GCM: each side opens what the other sealed, with the same layout, and refuses a wrong key or context', async () => {
    const aad = node.utf8Encode('"k"');
    const nonce = node.randomBytes(12);
    const fromNode = node.aesGcmSeal(node.aesKeyOf(KEY)!, nonce, bytes, aad);
    const fromBrowser = await browser.aesGcmSeal(browser.aesKeyOf(KEY)!, nonce, bytes, aad);
    expect(hex(fromBrowser)).toBe(hex(fromNode)); // same key, nonce and data: the very same bytes
    expect(hex((await browser.aesGcmOpen(browser.aesKeyOf(KEY)!, fromNode, aad))!)).toBe(hex(bytes));
    expect(hex(node.aesGcmOpen(node.aesKeyOf(KEY)!, fromBrowser, aad)!)).toBe(hex(bytes));
    expect(await browser.aesGcmOpen(browser.aesKeyOf(OTHER_KEY)!, fromNode, aad)).toBeUndefined();
    expect(await browser.aesGcmOpen(browser.aesKeyOf(KEY)!, fromNode, node.utf8Encode('"other"'))).toBeUndefined();
  });
});

describe('a store over asynchronous codecs', () => {
  const encrypted = (key: Uint8Array, previousKeys: Uint8Array[] = []) => ({ compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key, previousKeys }) });

  it('a wrong key is ERR_DECRYPT naming the key; a previous key still opens; other keys stay readable', async () => {
    const map = new Map<string, Uint8Array>();
    const store = createStore(referenceBacking({ map }), encrypted(KEY));
    await lastValueFrom(store.assoc('k', VALUE));
    const err = await errorOf(createStore(referenceBacking({ map }), encrypted(OTHER_KEY)).get('k'));
    expect(err).toMatchObject({ code: 'ERR_DECRYPT', key: 'k' });
    expect(await firstValueFrom(createStore(referenceBacking({ map }), encrypted(OTHER_KEY, [KEY])).get('k'))).toEqual(VALUE);
    await lastValueFrom(createStore(referenceBacking({ map }), encrypted(OTHER_KEY)).assoc('j', 1));
    expect(await firstValueFrom(createStore(referenceBacking({ map }), encrypted(OTHER_KEY)).get('j'))).toBe(1);
  });

  it('a value mutated right after assoc is written as it was at subscribe', async () => {
    const store = createStore(referenceBacking(), encrypted(KEY));
    const value = { list: [1] };
    const done = lastValueFrom(store.assoc('k', value));
    value.list.push(2);
    await done;
    expect(await firstValueFrom(store.get('k'))).toEqual({ list: [1] });
  });

  it('change events carry the decoded values, in commit order', async () => {
    const store = createStore(referenceBacking(), encrypted(KEY));
    const events = lastValueFrom(store.changes().pipe(toArray()));
    await lastValueFrom(store.assoc('k', 1));
    await lastValueFrom(store.update('k', (x) => (x as number) + 1));
    await lastValueFrom(store.append('log', 'e'));
    await lastValueFrom(store.close());
    expect((await events).map((e) => [e.op, e.value, e.old])).toEqual([
      ['assoc', 1, undefined],
      ['update', 2, 1],
      ['append', 'e', undefined],
    ]);
  });

  it('a write left while queued is dropped without an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      // a value larger than maxValueBytes fails inside the asynchronous encoding
      const small = createStore(referenceBacking(), { ...encrypted(KEY), maxValueBytes: 10 });
      const first = lastValueFrom(small.update('k', () => 'x'.repeat(100))).catch((e: unknown) => e);
      small.assoc('k', 'y'.repeat(100)).subscribe().unsubscribe();
      expect(await first).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await new Promise((r) => setImmediate(r));
      expect(rejections).toEqual([]);
      expect(await firstValueFrom(small.get('k'))).toBeUndefined();
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it.each([
    ['brotli', () => brotliCompressor()],
    ['lz4', () => lz4Compressor()],
  ])('a codec browsers lack fails with ERR_FORMAT naming it: %s', async (name, make) => {
    let err: unknown;
    try {
      await lastValueFrom(createStore(referenceBacking(), { compressor: make() }).assoc('k', VALUE));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ERR_FORMAT' });
    expect((err as Error).message).toContain(name);
  });
});
