/**
 * The value pipeline of one store: serialize, compress, encrypt on write (with the store's
 * chosen codecs), and the reverse on read using the ids recorded in each blob's header.
 */
import type { Compressor, Encryptor, Serializer } from '../codec';
import { KonserveError, corrupt, notSerializable, unsupportedFormat } from '../errors';
import type { StoreOptions } from '../options';
import { cborSerializer } from '../serializers/cbor';
import type { CodecIds } from './blob-format';

/** Serializer id 0: the value bytes are a raw binary (bassoc), not an encoded value. */
export const RAW_SERIALIZER_ID = 0;

/** Encodes and decodes values for one store. */
export interface ValueCodec {
  /** The ids new value blobs are written with. */
  readonly ids: CodecIds;
  /** Encodes a value; errors with `ERR_NOT_SERIALIZABLE`. */
  encode(key: unknown, value: unknown): Uint8Array;
  /** Decodes value bytes written with the header's codecs. */
  decode(key: unknown, ids: CodecIds, bytes: Uint8Array): unknown;
}

type Codec = Serializer | Compressor | Encryptor;

/** Builds the value codec of a store from its options. */
export function valueCodec(options: StoreOptions): ValueCodec {
  const serializer = options.serializer ?? cborSerializer();
  const { compressor, encryptor } = options;
  const serializers = new Map<number, Serializer>();
  const compressors = new Map<number, Compressor>();
  const encryptors = new Map<number, Encryptor>();
  const builtIn: Codec[] = serializer.id === 1 ? [] : [cborSerializer()];
  for (const c of [...builtIn, ...(options.readers ?? []), serializer, compressor, encryptor]) {
    if (c === undefined) continue;
    if ('encode' in c) serializers.set(c.id, c);
    else if ('compress' in c) compressors.set(c.id, c);
    else encryptors.set(c.id, c);
  }
  const ids: CodecIds = { serializer: serializer.id, compressor: compressor?.id ?? 0, encryptor: encryptor?.id ?? 0 };
  return {
    ids,
    encode(key, value) {
      let bytes: Uint8Array;
      try {
        bytes = serializer.encode(value);
      } catch (e) {
        throw notSerializable(key, e);
      }
      if (compressor) bytes = compressor.compress(bytes);
      return encryptor ? encryptor.encrypt(bytes) : bytes;
    },
    decode(key, header, bytes) {
      const s = lookup(serializers, header.serializer, 'serializer', key);
      if (header.encryptor !== 0) bytes = lookup(encryptors, header.encryptor, 'encryptor', key).decrypt(bytes);
      if (header.compressor !== 0) bytes = guard(key, 'decompress', () => lookup(compressors, header.compressor, 'compressor', key).decompress(bytes));
      return guard(key, 'decode', () => s.decode(bytes));
    },
  };
}

function lookup<C>(table: Map<number, C>, id: number, what: string, key: unknown): C {
  const c = table.get(id);
  if (c === undefined) throw unsupportedFormat(`${what} id ${id} is not registered with this store`, key);
  return c;
}

// the checksum already passed, so a decoder failure means bytes this codec did not write
function guard<T>(key: unknown, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KonserveError) throw e;
    throw corrupt(key, `value does not ${what}: ${(e as Error).message}`);
  }
}
