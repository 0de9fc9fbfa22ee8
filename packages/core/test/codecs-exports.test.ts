/** The codec names documented in docs/format.md are exported from @konserve-rx/core, with their ids. */
import { describe, expect, it } from '@jest/globals';
import * as core from '@konserve-rx/core';

describe('@konserve-rx/core codec exports', () => {
  it.each([
    ['cborSerializer', 'CBOR_SERIALIZER_ID', 1],
    ['jsonSerializer', 'JSON_SERIALIZER_ID', 2],
    ['gzipCompressor', 'GZIP_COMPRESSOR_ID', 1],
    ['brotliCompressor', 'BROTLI_COMPRESSOR_ID', 2],
    ['lz4Compressor', 'LZ4_COMPRESSOR_ID', 3],
  ])('%s with %s = %i', (factory, idName, id) => {
    const make = (core as unknown as Record<string, () => { id: number }>)[factory]!;
    expect((core as unknown as Record<string, number>)[idName]).toBe(id);
    expect(make().id).toBe(id);
  });

  it('aesGcmEncryptor with AES_GCM_ENCRYPTOR_ID = 2 (also reading id 1), customType and TaggedValue', () => {
    expect(core.AES_GCM_ENCRYPTOR_ID).toBe(2);
    expect(core.AES_GCM_UNBOUND_ENCRYPTOR_ID).toBe(1);
    const aes = core.aesGcmEncryptor({ key: new Uint8Array(32) });
    expect(aes.id).toBe(2);
    expect(aes.alsoReads?.map((e) => e.id)).toEqual([1]);
    expect(typeof core.customType).toBe('function');
    expect(new core.TaggedValue(7, 'x')).toMatchObject({ tag: 7, value: 'x' });
  });
});
