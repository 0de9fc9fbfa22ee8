/**
 * The Store compliance suite over the memory backing with the codec combinations that change
 * the bytes of values: each serializer alone, CBOR with each compressor, and encryption with and
 * without compression. The default (CBOR, no compression) runs in the memory package's own file.
 */
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { of } from 'rxjs';
import { aesGcmEncryptor, brotliCompressor, createStore, gzipCompressor, jsonSerializer, lz4Compressor, type StoreOptions } from '../src';

const key = new Uint8Array(32).fill(42);

const COMBINATIONS: [string, () => StoreOptions][] = [
  ['json', () => ({ serializer: jsonSerializer() })],
  ['cbor+gzip', () => ({ compressor: gzipCompressor() })],
  ['cbor+brotli', () => ({ compressor: brotliCompressor() })],
  ['cbor+lz4', () => ({ compressor: lz4Compressor() })],
  ['cbor+aes-256-gcm', () => ({ encryptor: aesGcmEncryptor({ key }) })],
  ['json+brotli+aes-256-gcm', () => ({ serializer: jsonSerializer(), compressor: brotliCompressor(), encryptor: aesGcmEncryptor({ key }) })],
];

for (const [name, options] of COMBINATIONS) {
  runStoreCompliance({ name: `memory with ${name}`, connect: () => of(createStore(memoryBacking(), options())) });
}
