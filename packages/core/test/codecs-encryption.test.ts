/**
 * AES-256-GCM: key checks, a fresh nonce per write, and through a store: a wrong key, a ciphertext
 * altered with its checksums recomputed, or a value moved to another key fails with ERR_DECRYPT and
 * returns no data, while an altered byte with stale checksums is caught first as ERR_CORRUPT.
 * Blobs of id 1 (no associated data, earlier versions) still read.
 */
import { describe, expect, it } from '@jest/globals';
import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { aesGcmEncryptor, createStore, gzipCompressor, type StoreOptions } from '../src';
import { encodeBlob, parseBlob } from '../src/format/blob';
import { keyRef } from '../src/format/key';
import { errorOf } from '../src/testing/util';
import { inNode } from './in-node';
import { referenceBacking } from '../src/testing/reference-backing';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(9);
const VALUE = { secret: 'launch code 0000', at: new Date(1) };
/** What a store passes as context for key 'k': its canonical form, UTF-8. */
const CTX = new TextEncoder().encode('"k"');

function storeOver(map: Map<string, Uint8Array>, options: StoreOptions) {
  return createStore(referenceBacking({ map }), options);
}

/** The one blob in `map` (tests write a single key). */
function onlyBlob(map: Map<string, Uint8Array>): [string, Uint8Array] {
  expect(map.size).toBe(1);
  return [...map][0]!;
}

describe('aesGcmEncryptor', () => {
  it.each([
    ['16 bytes', new Uint8Array(16)],
    ['33 bytes', new Uint8Array(33)],
    ['a string', 'k'.repeat(32)],
    ['nothing', undefined],
    ['a 16-byte KeyObject', createSecretKey(new Uint8Array(16))],
  ])('rejects a key of %s with ERR_INVALID_ARGUMENT', (_label, key) => {
    expect(() => aesGcmEncryptor({ key: key as Uint8Array })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('rejects a bad previous key', () => {
    expect(() => aesGcmEncryptor({ key: KEY, previousKeys: [new Uint8Array(5)] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('uses a fresh nonce per write and lays out nonce, ciphertext and tag', () => {
    const e = inNode(aesGcmEncryptor({ key: KEY }));
    const plain = new TextEncoder().encode('same bytes');
    const a = e.encrypt(plain, CTX);
    const b = e.encrypt(plain, CTX);
    expect(a.length).toBe(12 + plain.length + 16);
    expect(Buffer.from(a.subarray(0, 12)).equals(Buffer.from(b.subarray(0, 12)))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(new TextDecoder().decode(e.decrypt(a, CTX))).toBe('same bytes');
  });

  it('accepts a secret KeyObject and copies a byte key', () => {
    const bytes = randomBytes(32);
    const e = inNode(aesGcmEncryptor({ key: bytes }));
    const sealed = e.encrypt(new Uint8Array([1, 2]), CTX);
    bytes.fill(0);
    expect(e.decrypt(sealed, CTX)).toEqual(new Uint8Array([1, 2]));
    const k = inNode(aesGcmEncryptor({ key: createSecretKey(KEY) }));
    expect(inNode(aesGcmEncryptor({ key: KEY })).decrypt(k.encrypt(new Uint8Array([3]), CTX), CTX)).toEqual(new Uint8Array([3]));
  });

  it.each([
    ['a wrong key', (b: Uint8Array) => b, OTHER_KEY],
    ['a flipped ciphertext byte', (b: Uint8Array) => flipAt(b, 14), KEY],
    ['a flipped tag byte', (b: Uint8Array) => flipAt(b, b.length - 1), KEY],
    ['a flipped nonce byte', (b: Uint8Array) => flipAt(b, 0), KEY],
    ['a truncated blob', (b: Uint8Array) => b.subarray(0, 20), KEY],
  ])('throws ERR_DECRYPT on %s', (_label, damage, key) => {
    const sealed = inNode(aesGcmEncryptor({ key: KEY })).encrypt(new TextEncoder().encode('payload'), CTX);
    expect(() => aesGcmEncryptor({ key }).decrypt(damage(sealed), CTX)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }));
  });

  it('throws ERR_DECRYPT for another context (the value of another key)', () => {
    const e = inNode(aesGcmEncryptor({ key: KEY }));
    const sealed = e.encrypt(new TextEncoder().encode('payload'), CTX);
    expect(() => e.decrypt(sealed, new TextEncoder().encode('"other"'))).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }));
  });
});

describe('encrypted stores', () => {
  it('stores no plaintext and reads back with the key', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) });
    await firstValueFrom(store.assoc('k', VALUE));
    const [, blob] = onlyBlob(map);
    expect(Buffer.from(blob).includes('launch code')).toBe(false);
    expect(parseBlob(blob, 'k').encryptor).toBe(2);
    expect(await firstValueFrom(store.get('k'))).toEqual(VALUE);
  });

  it('fails with ERR_DECRYPT naming the key when read with a wrong key', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) }).assoc('k', VALUE));
    const wrong = storeOver(map, { encryptor: aesGcmEncryptor({ key: OTHER_KEY }) });
    const err = await errorOf(wrong.get('k'));
    expect(err.code).toBe('ERR_DECRYPT');
    expect(err.key).toBe('k');
    expect((await errorOf(wrong.update('k', () => 'overwritten'))).code).toBe('ERR_DECRYPT');
    // keys and meta stay readable without the key; the value was not overwritten
    expect((await lastValueFrom(wrong.keys().pipe(toArray()))).map((m) => m.key)).toEqual(['k']);
    expect(await firstValueFrom(storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) }).get('k'))).toEqual(VALUE);
  });

  it('fails with ERR_DECRYPT (not ERR_CORRUPT) when the ciphertext was altered and the checksums recomputed', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { compressor: gzipCompressor(), encryptor: aesGcmEncryptor({ key: KEY }) });
    await firstValueFrom(store.assoc('k', VALUE));
    const [id, blob] = onlyBlob(map);
    const parsed = parseBlob(blob, 'k');
    map.set(id, encodeBlob(parsed, parsed.meta, flipAt(parsed.value, 20)));
    const err = await errorOf(store.get('k'));
    expect(err.code).toBe('ERR_DECRYPT');
    expect(err.key).toBe('k');
  });

  it('fails with ERR_CORRUPT when a ciphertext byte flips under the checksum', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) });
    await firstValueFrom(store.assoc('k', VALUE));
    const [id, blob] = onlyBlob(map);
    map.set(id, flipAt(blob, blob.length - 20));
    expect((await errorOf(store.get('k'))).code).toBe('ERR_CORRUPT');
  });

  it('fails with ERR_FORMAT naming the encryptor when the store has no encryptor', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) }).assoc('k', VALUE));
    const err = await errorOf(storeOver(map, {}).get('k'));
    expect(err.code).toBe('ERR_FORMAT');
    expect(err.message).toMatch(/encryptor id 2/);
  });

  it('rotates keys: previousKeys read old blobs, new writes use the new key', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) }).assoc('k', VALUE));
    const rotated = storeOver(map, { encryptor: aesGcmEncryptor({ key: OTHER_KEY, previousKeys: [KEY] }) });
    expect(await firstValueFrom(rotated.update('k', (v: typeof VALUE) => ({ ...v, secret: 'new' })))).toMatchObject({ new: { secret: 'new' } });
    const onlyNew = storeOver(map, { encryptor: aesGcmEncryptor({ key: OTHER_KEY }) });
    expect(await firstValueFrom(onlyNew.get('k'))).toEqual({ ...VALUE, secret: 'new' });
  });

  it('fails with ERR_DECRYPT naming the key when a value was moved to another key in storage', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) });
    await firstValueFrom(store.assoc('alice', { balance: 10 }));
    await firstValueFrom(store.assoc('mallory', { balance: 0 }));
    // someone with write access to the storage (not the key) copies alice's value into mallory's
    // blob, keeping mallory's meta (a copy of the whole blob is ERR_CORRUPT: its meta names alice)
    const mallory = parseBlob(map.get(keyRef('mallory').id)!, 'mallory');
    map.set(keyRef('mallory').id, encodeBlob(mallory, mallory.meta, parseBlob(map.get(keyRef('alice').id)!, 'alice').value));
    const err = await errorOf(store.get('mallory'));
    expect(err.code).toBe('ERR_DECRYPT');
    expect(err.key).toBe('mallory');
    expect(await firstValueFrom(store.get('alice'))).toEqual({ balance: 10 });
  });

  it('reads blobs of id 1 (AES-256-GCM without associated data, as earlier versions wrote them)', async () => {
    const map = new Map<string, Uint8Array>();
    await firstValueFrom(storeOver(map, {}).assoc('k', VALUE));
    const [id, plainBlob] = onlyBlob(map);
    const parsed = parseBlob(plainBlob, 'k');
    const { meta, value } = parsed;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', KEY, nonce);
    const sealed = Buffer.concat([nonce, cipher.update(value), cipher.final(), cipher.getAuthTag()]);
    map.set(id, encodeBlob({ serializer: parsed.serializer, compressor: parsed.compressor, encryptor: 1 }, meta, sealed));
    expect(await firstValueFrom(storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) }).get('k'))).toEqual(VALUE);
    expect((await errorOf(storeOver(map, { encryptor: aesGcmEncryptor({ key: OTHER_KEY }) }).get('k'))).code).toBe('ERR_DECRYPT');
  });

  it('reads a committed id-2 blob (format pin: key 0x07 x 32, key "pinned")', async () => {
    const map = new Map([[PINNED_ID, Buffer.from(PINNED_HEX, 'hex')]]);
    const store = storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) });
    expect(await firstValueFrom(store.get('pinned'))).toEqual({ secret: 'launch code 0000', n: 1 });
    expect(parseBlob(map.get(PINNED_ID)!, 'pinned').encryptor).toBe(2);
  });

  it('leaves binaries unencrypted (bassoc stores raw bytes)', async () => {
    const map = new Map<string, Uint8Array>();
    const store = storeOver(map, { encryptor: aesGcmEncryptor({ key: KEY }) });
    await firstValueFrom(store.bassoc('b', 'raw text'));
    const [, blob] = onlyBlob(map);
    expect(parseBlob(blob, 'b')).toMatchObject({ serializer: 0, compressor: 0, encryptor: 0 });
  });
});

function flipAt(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[at] = out[at]! ^ 0x01;
  return out;
}

/** A blob written on 2026-11-24 by `aesGcmEncryptor({ key: KEY })` for key 'pinned'. */
const PINNED_ID = '36e0b7062f77d8cf22c7146e8b9499479aa8115716d9cd6da81758d1e530fb9d';
const PINNED_HEX =
  '4b52582101010002290000003a0000000000000052cfe8532c5888d9b90003636b65796670696e6e656464747970656576616c7565696c6173745772697465c11a6553f1003d7080eef966704b2bed153a1228f1f641a55b8fb9e8be0013acc6b70c3bfee9aef5c54bfb2492658dc1ba0deae7a424cd6bf79b482c015541be';
