/**
 * The value pipeline of one store: serialize, compress, encrypt on write (with the store's
 * chosen codecs), and the reverse on read using the ids recorded in each blob's header.
 *
 * What a store can read: the built-in serializers (CBOR, JSON) and compressors (gzip, brotli,
 * lz4) with their default options, always; then `options.readers`, then the codecs it writes
 * with, each replacing an earlier codec of the same kind and id. Without `options.serializer`
 * it writes with the CBOR serializer from `readers`, if one is there, else a default one. Encryptors need a key, so only
 * those the options name can read; any other id fails with `ERR_FORMAT` naming it.
 */
import { isObservable } from 'rxjs';
import type { Compressor, Encryptor, Serializer } from '../codec';
import { corrupt, describeKey, invalidArgument, isKonserveError, KonserveError, notSerializable, unsupportedFormat } from '../errors';
import type { StoreOptions } from '../options';
import { cborSerializer, CBOR_SERIALIZER_ID } from '../serializers/cbor';
import type { CodecIds } from './blob-format';
import { builtInCompressor, builtInSerializer } from './built-in-codecs';
import { isThenable } from './flow';
import { keyRef } from './key';

/** Serializer id 0: the value bytes are a raw binary (bassoc), not an encoded value. */
export const RAW_SERIALIZER_ID = 0;

/** Encodes and decodes values for one store. */
export interface ValueCodec {
  /** The ids new value blobs are written with. */
  readonly ids: CodecIds;
  /** Encodes a value; errors with `ERR_NOT_SERIALIZABLE`. */
  encode(key: unknown, value: unknown): Uint8Array;
  /**
   * Decodes value bytes written with the header's codecs. Errors with `ERR_FORMAT` for an id this
   * store cannot read, `ERR_DECRYPT` when decryption fails, `ERR_CORRUPT` when the bytes do not
   * decompress or decode.
   */
  decode(key: unknown, ids: CodecIds, bytes: Uint8Array): unknown;
  /** A deep copy of a value through the serializer alone (no compression or encryption). */
  copy(key: unknown, value: unknown): unknown;
}

type Codec = Serializer | Compressor | Encryptor;
type Kind = 'serializer' | 'compressor' | 'encryptor';

/** Builds the value codec of a store from its options; errors with `ERR_INVALID_ARGUMENT` on a malformed codec. */
export function valueCodec(options: StoreOptions): ValueCodec {
  const { compressor, encryptor } = options;
  const tables: Record<Kind, Map<number, Codec>> = { serializer: new Map(), compressor: new Map(), encryptor: new Map() };
  for (const c of [...(options.readers ?? []), options.serializer, compressor, encryptor]) {
    if (c === undefined) continue;
    const kind = kindOf(c);
    // older ids an encryptor reads go first, so a codec registered for that id itself wins
    for (const older of kind === 'encryptor' ? ((c as Encryptor).alsoReads ?? []) : []) {
      kindOf(older); // checks its id
      if (!tables.encryptor.has(older.id)) tables.encryptor.set(older.id, older);
    }
    tables[kind].set(c.id, c);
  }
  // without an explicit serializer, a CBOR serializer given in `readers` (say, with custom types)
  // is also the one to write with: writing with a bare default would drop those types
  const serializer = options.serializer ?? (tables.serializer.get(CBOR_SERIALIZER_ID) as Serializer | undefined) ?? cborSerializer();
  const find = <C extends Codec>(kind: Kind, id: number, key: unknown, builtIn: (id: number) => C | undefined): C => {
    const c = (tables[kind].get(id) as C | undefined) ?? builtIn(id);
    if (c === undefined) throw unsupportedFormat(`${kind} id ${id} is not registered with this store (add it to \`readers\`)`, key);
    return c;
  };
  const none = (): undefined => undefined;
  const maxBytes = options.maxValueBytes ?? Infinity;
  if (!(maxBytes >= 0)) throw invalidArgument(`maxValueBytes must be a number >= 0, got ${String(options.maxValueBytes)}`);
  const pipelines = new Map<number, Pipeline>();
  const ids: CodecIds = { serializer: serializer.id, compressor: compressor?.id ?? 0, encryptor: encryptor?.id ?? 0 };
  const serialize = (key: unknown, value: unknown): Uint8Array => {
    if (isDeferred(value)) throw notSerializable(key, new TypeError(`a ${isObservable(value) ? 'Observable' : 'Promise'} is not a value: store what it resolves to`));
    try {
      return serializer.encode(value);
    } catch (e) {
      throw notSerializable(key, e);
    }
  };
  return {
    ids,
    encode(key, value) {
      let bytes = serialize(key, value);
      if (compressor) bytes = compressor.compress(bytes);
      if (encryptor) bytes = encryptor.encrypt(bytes, encryptionContext(key));
      if (bytes.length > maxBytes) throw invalidArgument(`value for key ${describeKey(key)} takes ${bytes.length} bytes, more than maxValueBytes (${maxBytes})`, key);
      return bytes;
    },
    decode(key, header, bytes) {
      // resolved once per id combination: the hot path does no lookups and builds no closures
      const slot = header.serializer | (header.compressor << 8) | (header.encryptor << 16);
      let pipeline = pipelines.get(slot);
      if (pipeline === undefined) {
        // every id is resolved before any work, so an unreadable blob is ERR_FORMAT whatever else is wrong
        pipeline = {
          s: find<Serializer>('serializer', header.serializer, key, builtInSerializer),
          e: header.encryptor === 0 ? undefined : find<Encryptor>('encryptor', header.encryptor, key, none),
          c: header.compressor === 0 ? undefined : find<Compressor>('compressor', header.compressor, key, builtInCompressor),
        };
        pipelines.set(slot, pipeline);
      }
      return runPipeline(pipeline, key, bytes);
    },
    copy(key, value) {
      const bytes = serialize(key, value);
      return guard(key, 'decode', () => serializer.decode(bytes));
    },
  };
}

/**
 * A Promise, thenable or Observable: a value still to come, which serializers would write as an
 * empty object. Refused at the top level by every store; the JSON serializer also refuses nested ones.
 */
export function isDeferred(value: unknown): boolean {
  return isThenable(value) || isObservable(value);
}

interface Pipeline {
  readonly s: Serializer;
  readonly e: Encryptor | undefined;
  readonly c: Compressor | undefined;
}

function runPipeline(p: Pipeline, key: unknown, bytes: Uint8Array): unknown {
  if (p.e !== undefined) bytes = decrypting(key, p.e, bytes);
  if (p.c !== undefined) {
    try {
      bytes = p.c.decompress(bytes);
    } catch (e) {
      throw decodeFailure(e, key, 'decompress');
    }
  }
  try {
    return p.s.decode(bytes);
  } catch (e) {
    throw decodeFailure(e, key, 'decode');
  }
}

function kindOf(c: Codec): Kind {
  const kind: Kind | undefined =
    typeof (c as Serializer).encode === 'function' ? 'serializer'
    : typeof (c as Compressor).compress === 'function' ? 'compressor'
    : typeof (c as Encryptor).encrypt === 'function' ? 'encryptor'
    : undefined;
  if (kind === undefined) throw invalidArgument(`${describe(c)} is not a serializer, compressor or encryptor`);
  if (!Number.isInteger(c.id) || c.id < 1 || c.id > 255) throw invalidArgument(`${kind} ${describe(c)} needs an integer id in 1..255 (got ${String(c.id)})`);
  return kind;
}

function describe(c: Codec): string {
  return typeof c?.name === 'string' ? `'${c.name}'` : 'a codec';
}

// the checksum already passed, so a decoder failure means bytes this codec did not write
function guard<T>(key: unknown, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw decodeFailure(e, key, what);
  }
}

function decodeFailure(e: unknown, key: unknown, what: string): KonserveError {
  if (e instanceof KonserveError) return withKey(e, key);
  return corrupt(key, `value does not ${what}: ${(e as Error).message}`);
}

// every failure inside decryption is ERR_DECRYPT (never ERR_CORRUPT): the checksum passed, so the
// bytes are what was written and only the key (or a forger) can be at fault
function decrypting(key: unknown, encryptor: Encryptor, bytes: Uint8Array): Uint8Array {
  try {
    return encryptor.decrypt(bytes, encryptionContext(key));
  } catch (e) {
    if (isKonserveError(e) && e.code !== 'ERR_DECRYPT') throw withKey(e, key);
    const why = e instanceof Error ? e.message : String(e);
    throw new KonserveError('ERR_DECRYPT', `value for key ${describeKey(key)} cannot be decrypted: ${why}`, { key, cause: e });
  }
}

function withKey(e: KonserveError, key: unknown): KonserveError {
  if (e.key !== undefined || key === undefined) return e;
  return new KonserveError(e.code, e.message, { key, cause: e.cause ?? e, ...(e.path === undefined ? {} : { path: e.path }) });
}

/**
 * What an encryptor binds a value to: the UTF-8 canonical form of its key (the form the blob id is
 * hashed from), so equal keys give equal contexts whatever object the caller passed.
 */
function encryptionContext(key: unknown): Uint8Array {
  // keyRef's cache already holds the canonical form of every key in use
  return Buffer.from(keyRef(key).canonical, 'utf8');
}
