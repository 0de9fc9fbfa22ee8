/**
 * The codecs every store reads without being told: the built-in serializers and compressors
 * with their default options, made on first use (lz4 loads a native module).
 */
import type { Compressor, Serializer } from '../codec';
import { brotliCompressor, BROTLI_COMPRESSOR_ID } from '../compressors/brotli';
import { gzipCompressor, GZIP_COMPRESSOR_ID } from '../compressors/gzip';
import { lz4Compressor, LZ4_COMPRESSOR_ID } from '../compressors/lz4';
import { cborSerializer, CBOR_SERIALIZER_ID } from '../serializers/cbor';
import { jsonSerializer, JSON_SERIALIZER_ID } from '../serializers/json';

const serializers = new Map<number, () => Serializer>([
  [CBOR_SERIALIZER_ID, cborSerializer],
  [JSON_SERIALIZER_ID, jsonSerializer],
]);
const compressors = new Map<number, () => Compressor>([
  [GZIP_COMPRESSOR_ID, gzipCompressor],
  [BROTLI_COMPRESSOR_ID, brotliCompressor],
  [LZ4_COMPRESSOR_ID, lz4Compressor],
]);
const made = new Map<string, Serializer | Compressor>();

function cached<C extends Serializer | Compressor>(kind: string, id: number, table: Map<number, () => C>): C | undefined {
  const make = table.get(id);
  if (make === undefined) return undefined;
  let c = made.get(`${kind}:${id}`) as C | undefined;
  if (c === undefined) made.set(`${kind}:${id}`, (c = make()));
  return c;
}

/** The built-in serializer with this id, with default options; `undefined` for other ids. */
export function builtInSerializer(id: number): Serializer | undefined {
  return cached('serializer', id, serializers);
}

/** The built-in compressor with this id, with default options; `undefined` for other ids. */
export function builtInCompressor(id: number): Compressor | undefined {
  return cached('compressor', id, compressors);
}
