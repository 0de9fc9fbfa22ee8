/**
 * The value pipeline of one store: serialize, compress, encrypt on write (with the store's
 * chosen codecs), and the reverse on read using the ids recorded in each blob's header.
 *
 * What a store can read: the built-in serializers (CBOR, JSON) and compressors (gzip, brotli,
 * lz4) with their default options, always; then `options.readers`, then the codecs it writes
 * with, each replacing an earlier codec of the same kind and id. Without `options.serializer`
 * it writes with the CBOR serializer from `readers`, if one is there, else a default one. Encryptors need a key, so only
 * those the options name can read; any other id fails with `ERR_FORMAT` naming it.
 *
 * Trust: a store with an encryptor refuses values stored unencrypted (`ERR_DECRYPT`) unless
 * `readUnencryptedForMigration`; decompression never passes the size a blob records (format 2) or
 * `maxDecompressedBytes`; an append-log element is encrypted for its place in the log (format 2).
 */
import { isObservable } from 'rxjs';
import type { Compressor, Encryptor, Serializer } from '../codec';
import { describeKey, invalidArgument, isKonserveError, KonserveError, notSerializable, unsupportedFormat } from '../errors';
import type { StoreOptions } from '../options';
import { cborSerializer, CBOR_SERIALIZER_ID } from '../serializers/cbor';
import { FORMAT_VERSION, type BlobCodecs } from './blob';
import { builtInCompressor, builtInSerializer } from './built-in-codecs';
import type { MaybePromise } from '../backing';
import { attemptMaybe, isThenable, mapMaybe } from '../maybe-promise';
import type { KeyRef } from './key';
import { decodeFailure, decompressBounded, encryptionContext, withKey, withSize } from './value-bytes';

/** Serializer id 0: the value bytes are a raw binary (bassoc), not an encoded value. */
export const RAW_SERIALIZER_ID = 0;

/** The default of `maxDecompressedBytes`: 64 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 2 ** 20;

/** Encodes and decodes values for one store. */
export interface ValueCodec {
  /** The ids and format version new value blobs are written with. */
  readonly ids: BlobCodecs;
  /**
   * Encodes a value (not a log element): {@link ValueCodec.seal} of {@link ValueCodec.pack}. Errors like both.
   * The value is serialized before this returns, even when the bytes come as a promise (an
   * asynchronous compressor or encryptor): later mutation of the value cannot change them.
   */
  encode(ref: KeyRef, value: unknown): MaybePromise<Uint8Array>;
  /**
   * `use` of the bytes {@link ValueCodec.encode} would give, errors alike. The bytes are valid only
   * while `use` runs: with no compressor or encryptor, a serializer that has `encodeTransient`
   * writes them into a buffer it reuses. `use` must copy what it keeps (the blob it builds).
   */
  encodeWith<T>(ref: KeyRef, value: unknown, use: (bytes: Uint8Array) => T): MaybePromise<T>;
  /**
   * Serializes (now) and compresses a value (with its uncompressed size): everything but encryption.
   * Errors with `ERR_NOT_SERIALIZABLE`, or `ERR_INVALID_ARGUMENT` past `maxDecompressedBytes`.
   */
  pack(ref: KeyRef, value: unknown): MaybePromise<Uint8Array>;
  /**
   * Encrypts packed bytes for the key of `ref` (bound to its canonical form); errors with `ERR_INVALID_ARGUMENT` past `maxValueBytes`.
   * @param place - for an append-log element, `<gen>.<index>`: the encryption binds it too
   */
  seal(ref: KeyRef, packed: Uint8Array, place?: string): MaybePromise<Uint8Array>;
  /**
   * Decodes value bytes written with the header's codecs and format version. Errors with
   * `ERR_FORMAT` for an id this store cannot read, `ERR_DECRYPT` when decryption fails or the value
   * is unencrypted under a store that encrypts, `ERR_CORRUPT` when the bytes do not decompress
   * (within their bound) or decode.
   * @param place - for an append-log element, `<gen>.<index>`, as given to `encode`
   * @param stable - `bytes` is an array a backing hands back unchanged on every read (see
   *   `BackingCapabilities.stableArrays`); passed on to the serializer when it gets them as they are
   * @returns the value, or a promise of it when a codec of the header is asynchronous
   */
  decode(ref: KeyRef, codecs: BlobCodecs, bytes: Uint8Array, place?: string, stable?: boolean): unknown;
  /**
   * Like {@link ValueCodec.decode}, but decrypts and decompresses once and gives a function that
   * deserializes a fresh copy of the value each call (update hands one to its function, one to
   * the change event, one to the caller).
   */
  reader(ref: KeyRef, codecs: BlobCodecs, bytes: Uint8Array, place?: string): MaybePromise<() => unknown>;
  /** A deep copy of a value through the serializer alone (no compression or encryption). */
  copy(ref: KeyRef, value: unknown): unknown;
  /** The codecs new values are written with, by name, for `inspectStore`. */
  readonly writers: CodecNames;
}

/** The codecs a store writes with, as `inspectStore` reports them. */
export interface CodecNames {
  /** The serializer's name (`'cbor'`, `'json'`, or a custom one). */
  readonly serializer: string;
  /** Whether the serializer's native accelerator is active; absent when it has none. */
  readonly native?: boolean;
  /** The compressor's name, when the store compresses. */
  readonly compressor?: string;
  /** The encryptor's name, when the store encrypts. */
  readonly encryptor?: string;
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
  const maxDecompressed = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  if (!(maxDecompressed >= 0)) throw invalidArgument(`maxDecompressedBytes must be a number >= 0, got ${String(options.maxDecompressedBytes)}`);
  // a store that encrypts reads an unencrypted value only when told to (a forger can write one)
  const refuseUnencrypted = encryptor !== undefined && options.readUnencryptedForMigration !== true;
  const pipelines = new Map<number, Pipeline>();
  const ids: BlobCodecs = { version: FORMAT_VERSION, serializer: serializer.id, compressor: compressor?.id ?? 0, encryptor: encryptor?.id ?? 0 };
  const serialize = (key: unknown, value: unknown, transient?: boolean): Uint8Array => {
    if (isDeferred(value))
      throw notSerializable(key, new TypeError(`a ${isObservable(value) ? 'Observable' : 'Promise'} is not a value: store what it resolves to`));
    try {
      return transient === true ? serializer.encodeTransient!(value) : serializer.encode(value);
    } catch (e) {
      throw notSerializable(key, e);
    }
  };
  // bytes that go straight from the serializer into a blob may live in the serializer's buffer
  const transient = serializer.encodeTransient !== undefined && compressor === undefined && encryptor === undefined;
  const pack = (ref: KeyRef, value: unknown): MaybePromise<Uint8Array> => {
    const key = ref.key;
    const bytes = serialize(key, value);
    if (compressor === undefined) return bytes;
    if (bytes.length > maxDecompressed) {
      throw invalidArgument(`value for key ${describeKey(key)} serializes to ${bytes.length} bytes, more than maxDecompressedBytes (${maxDecompressed})`, key);
    }
    return mapMaybe(compressor.compress(bytes), (compressed) => withSize(compressed, bytes.length));
  };
  const withinMax = (ref: KeyRef, bytes: Uint8Array): Uint8Array => {
    if (bytes.length > maxBytes)
      throw invalidArgument(`value for key ${describeKey(ref.key)} takes ${bytes.length} bytes, more than maxValueBytes (${maxBytes})`, ref.key);
    return bytes;
  };
  const seal = (ref: KeyRef, packed: Uint8Array, place?: string): MaybePromise<Uint8Array> =>
    encryptor ? mapMaybe(encryptor.encrypt(packed, encryptionContext(ref, place)), (bytes) => withinMax(ref, bytes)) : withinMax(ref, packed);
  const encode = (ref: KeyRef, value: unknown): MaybePromise<Uint8Array> => {
    const packed = pack(ref, value);
    return isThenable<Uint8Array>(packed) ? Promise.resolve(packed).then((p) => seal(ref, p)) : seal(ref, packed);
  };
  // resolved once per version and id combination: the hot path does no lookups and builds no closures
  const pipelineOf = (key: unknown, header: BlobCodecs): Pipeline => {
    const slot = header.serializer | (header.compressor << 8) | (header.encryptor << 16) | (header.version << 24);
    let pipeline = pipelines.get(slot);
    if (pipeline === undefined) {
      // every id is resolved before any work, so an unreadable blob is ERR_FORMAT whatever else is wrong
      pipeline = {
        s: find<Serializer>('serializer', header.serializer, key, builtInSerializer),
        e: header.encryptor === 0 ? undefined : find<Encryptor>('encryptor', header.encryptor, key, none),
        c: header.compressor === 0 ? undefined : find<Compressor>('compressor', header.compressor, key, builtInCompressor),
        v2: header.version >= 2,
        refuse: header.encryptor === 0 && refuseUnencrypted,
        max: maxDecompressed,
      };
      pipelines.set(slot, pipeline);
    }
    return pipeline;
  };
  return {
    ids,
    writers: {
      serializer: serializer.name,
      ...(serializer.native === undefined ? {} : { native: serializer.native }),
      ...(compressor ? { compressor: compressor.name } : {}),
      ...(encryptor ? { encryptor: encryptor.name } : {}),
    },
    pack,
    seal,
    encode,
    encodeWith: (ref, value, use) => (transient ? use(withinMax(ref, serialize(ref.key, value, true))) : mapMaybe(encode(ref, value), use)),
    decode(ref, header, bytes, place, stable) {
      const p = pipelineOf(ref.key, header);
      const plain = unseal(p, ref, bytes, place);
      // decrypted or decompressed bytes are a fresh array: only the stored bytes themselves are stable
      return isThenable<Uint8Array>(plain)
        ? Promise.resolve(plain).then((b) => deserialize(p, ref.key, b))
        : deserialize(p, ref.key, plain, stable === true && plain === bytes);
    },
    reader(ref, header, bytes, place) {
      const p = pipelineOf(ref.key, header);
      return mapMaybe(unseal(p, ref, bytes, place), (plain) => () => deserialize(p, ref.key, plain));
    },
    copy(ref, value) {
      const bytes = serialize(ref.key, value);
      return guard(ref.key, 'decode', () => serializer.decode(bytes));
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
  /** Format version 2: a recorded size before compressed bytes, elements encrypted for their place. */
  readonly v2: boolean;
  /** The value is unencrypted and this store encrypts without the migration opt-in. */
  readonly refuse: boolean;
  /** maxDecompressedBytes. */
  readonly max: number;
}

/** Decrypts and decompresses value bytes into the serializer's bytes; asynchronous when a codec is. */
function unseal(p: Pipeline, ref: KeyRef, bytes: Uint8Array, place: string | undefined): MaybePromise<Uint8Array> {
  const key = ref.key;
  if (p.refuse) throw unencrypted(key);
  // format 1 bound elements to their key only: they still read, with the key alone
  const plain = p.e === undefined ? bytes : decrypting(ref, p.e, bytes, p.v2 ? place : undefined);
  const c = p.c;
  if (c === undefined) return plain;
  return isThenable<Uint8Array>(plain)
    ? Promise.resolve(plain).then((b) => decompressBounded(c, b, p.v2, p.max, key))
    : decompressBounded(c, plain, p.v2, p.max, key);
}

function deserialize(p: Pipeline, key: unknown, bytes: Uint8Array, stable = false): unknown {
  try {
    return p.s.decode(bytes, stable);
  } catch (e) {
    throw decodeFailure(e, key, 'decode');
  }
}

function kindOf(c: Codec): Kind {
  const kind: Kind | undefined =
    typeof (c as Serializer).encode === 'function'
      ? 'serializer'
      : typeof (c as Compressor).compress === 'function'
        ? 'compressor'
        : typeof (c as Encryptor).encrypt === 'function'
          ? 'encryptor'
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

function unencrypted(key: unknown): KonserveError {
  const why =
    'it is stored unencrypted (encryptor id 0) but this store encrypts, so it may be forged; set readUnencryptedForMigration to read values stored before encryption';
  return new KonserveError('ERR_DECRYPT', `value for key ${describeKey(key)} is refused: ${why}`, { key });
}

// every failure inside decryption is ERR_DECRYPT (never ERR_CORRUPT): the checksum passed, so the
// bytes are what was written and only the key (or a forger) can be at fault
function decrypting(ref: KeyRef, encryptor: Encryptor, bytes: Uint8Array, place: string | undefined): MaybePromise<Uint8Array> {
  const key = ref.key;
  return attemptMaybe(
    () => encryptor.decrypt(bytes, encryptionContext(ref, place)),
    (plain) => plain,
    (e) => {
      if (isKonserveError(e) && e.code !== 'ERR_DECRYPT') throw withKey(e, key);
      const why = e instanceof Error ? e.message : String(e);
      throw new KonserveError('ERR_DECRYPT', `value for key ${describeKey(key)} cannot be decrypted: ${why}`, { key, cause: e });
    },
  );
}
