/**
 * The bytes of one stored blob (format versions 1 and 2), documented in docs/format.md:
 *
 *   0  magic "KRX!" (4)      8  meta length, u32 LE      20 value CRC-32, u32 LE
 *   4  format version (1)    12 value length, u64 LE     24 head CRC-32 of bytes 0..23 + meta, u32 LE
 *   5  serializer id (1)     28 meta (CBOR), then the value bytes
 *   6  compressor id (1)
 *   7  encryptor id (1)
 *
 * Version 2 has the same layout; it changes what the value bytes mean (see value-codec.ts): a
 * compressed value records its uncompressed size, and an encrypted append-log element is bound to
 * its place in the log. Version 3 is version 2 whose meta carries `expiresAt`, a time after which
 * the key is missing: only blobs that expire are written as version 3, so a reader that does not
 * know expiry fails on them (`ERR_FORMAT`) instead of serving an expired value. This code writes
 * versions 2 and 3 and reads all three.
 */
import { crc32, crc32Range, crc32Span } from './crc32';
import { corrupt, unsupportedFormat } from '../errors';
import { allocateBlob } from '../internal/blob-slab';

/** Size of the fixed header in bytes. */
export const HEADER_SIZE = 28;
// Where the header's fields lie (the layout above): the writer and both readers go by these.
const VERSION_AT = 4;
const SERIALIZER_AT = 5;
const COMPRESSOR_AT = 6;
const ENCRYPTOR_AT = 7;
const META_LENGTH_AT = 8;
const VALUE_LENGTH_AT = 12;
const VALUE_CRC_AT = 20;
const HEAD_CRC_AT = 24;
/** The format version this code writes for blobs that never expire. */
export const FORMAT_VERSION = 2;
/** The format version of blobs whose meta carries `expiresAt` (version 2 plus expiry). */
export const EXPIRING_FORMAT_VERSION = 3;
/** The oldest format version this code reads. */
export const OLDEST_FORMAT_VERSION = 1;
/** The newest format version this code reads. */
export const NEWEST_FORMAT_VERSION = 3;
const MAGIC = [0x4b, 0x52, 0x58, 0x21] as const; // "KRX!"
/** How many bytes at a blob's start hold its format version: the magic, then the version byte. */
export const VERSION_PREFIX_LENGTH = 5;

/**
 * What a backing needs to know of blob bytes to implement `BackingStore.deleteIfUnlocked`: the
 * first bytes (magic and format version) of the blobs it may delete without core reading them
 * first (versions 1 and 2, which carry no expiry), and where such a blob's meta lies: its length
 * M is the u32 (little-endian) at `metaLengthAt`, and the meta the M bytes from `metaAt`.
 */
export const BLIND_DELETE_FORMAT: {
  /** The accepted first bytes of a blob, each {@link VERSION_PREFIX_LENGTH} long: the magic, then the version. */
  readonly heads: readonly Uint8Array[];
  /** Where the meta's length M lies: a u32, little-endian. */
  readonly metaLengthAt: number;
  /** Where the M meta bytes start. */
  readonly metaAt: number;
  /**
   * The longest deleted blob handed back whole: a longer one comes back as its first
   * `metaAt` + M bytes (header and meta), all core needs of it, so deleting a large value does
   * not carry it back. An append log's head, the one blob core reads past its meta, is far smaller.
   */
  readonly wholeUpTo: number;
} = {
  // every version before the first that can expire (EXPIRING_FORMAT_VERSION)
  heads: [1, 2].map((version) => Uint8Array.of(...MAGIC, version)),
  metaLengthAt: META_LENGTH_AT,
  metaAt: HEADER_SIZE,
  wholeUpTo: 64 * 1024,
};

/**
 * Whether `bytes` hold fewer bytes than the blob their header describes (header, meta and value):
 * a prefix, as a backing may hand back of a large deleted blob. Unchecked: a damaged header
 * fails the checks of whatever reads the bytes next.
 */
export function isBlobPrefix(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_SIZE) return false;
  const h = headerOf(bytes);
  return bytes.length < HEADER_SIZE + h.metaLength + h.valueLength;
}

/** True when blobs of format `version` carry `expiresAt`, and so may have expired. */
export function canExpire(version: number): boolean {
  return version >= EXPIRING_FORMAT_VERSION;
}

/**
 * The format version a blob's first bytes record, unchecked (a listing's cheap look at a blob);
 * `undefined` when fewer than {@link VERSION_PREFIX_LENGTH} bytes are given.
 */
export function prefixVersion(bytes: Uint8Array): number | undefined {
  return bytes.length >= VERSION_PREFIX_LENGTH ? bytes[VERSION_PREFIX_LENGTH - 1] : undefined;
}

/** The decoded fixed header of a blob. */
export interface BlobHeader {
  /** The format version the blob was written with. */
  readonly version: number;
  readonly serializer: number;
  readonly compressor: number;
  readonly encryptor: number;
  readonly metaLength: number;
  readonly valueLength: number;
  readonly valueCrc: number;
  readonly headCrc: number;
}

/** Codec ids recorded in a header. */
export interface CodecIds {
  readonly serializer: number;
  readonly compressor: number;
  readonly encryptor: number;
}

/** What decoding value bytes depends on: the codec ids and the format version they were written with. */
export interface BlobCodecs extends CodecIds {
  readonly version: number;
}

/**
 * Builds a complete blob from encoded meta and value bytes, in one exactly sized array; a small
 * blob is a view into a shared slab (see internal/blob-slab.ts: a backing that keeps it copies it).
 * @param version - {@link FORMAT_VERSION}, or {@link EXPIRING_FORMAT_VERSION} when the meta has `expiresAt`
 */
export function encodeBlob(ids: CodecIds, meta: Uint8Array, value: Uint8Array, version: number = FORMAT_VERSION): Uint8Array {
  const out = allocateBlob(HEADER_SIZE + meta.length + value.length);
  out.set(meta, HEADER_SIZE);
  return finishBlob(out, ids, meta.length, value, version);
}

/**
 * Completes a blob whose meta the caller already wrote at `out[HEADER_SIZE..HEADER_SIZE + metaLength)`
 * (`out` from {@link allocateBlob}, sized for header, meta and value): copies the value after the
 * meta and writes the header with both checksums. {@link encodeBlob} without the meta's own array.
 * @returns `out`
 */
export function finishBlob(out: Uint8Array, ids: CodecIds, metaLength: number, value: Uint8Array, version: number = FORMAT_VERSION): Uint8Array {
  out.set(value, HEADER_SIZE + metaLength);
  writeHeader(out, ids, metaLength, value.length, crc32(value), version);
  return out;
}

/**
 * Writes the fixed header into `out[0..28)`, given the length of the meta already written after
 * it (`out[28..28 + metaLength)`, which the head checksum covers) and the value's length and CRC.
 * Used directly when the value was streamed.
 */
export function writeHeader(out: Uint8Array, ids: CodecIds, metaLength: number, valueLength: number, valueCrc: number, version: number = FORMAT_VERSION): void {
  writeFields(out, ids, version, metaLength, valueLength, valueCrc);
  putU32(out, HEAD_CRC_AT, crc32Span(out, HEADER_SIZE, HEADER_SIZE + metaLength, crc32Range(out, 0, HEAD_CRC_AT)));
}

function writeFields(out: Uint8Array, ids: CodecIds, version: number, metaLength: number, valueLength: number, valueCrc: number): void {
  out[0] = MAGIC[0];
  out[1] = MAGIC[1];
  out[2] = MAGIC[2];
  out[3] = MAGIC[3];
  out[VERSION_AT] = version;
  out[SERIALIZER_AT] = ids.serializer;
  out[COMPRESSOR_AT] = ids.compressor;
  out[ENCRYPTOR_AT] = ids.encryptor;
  putU32(out, META_LENGTH_AT, metaLength);
  putU32(out, VALUE_LENGTH_AT, valueLength % 2 ** 32);
  putU32(out, VALUE_LENGTH_AT + 4, Math.floor(valueLength / 2 ** 32));
  putU32(out, VALUE_CRC_AT, valueCrc);
}

/**
 * The number of bytes of header plus meta, read from a prefix of at least 12 bytes.
 * Errors with `ERR_CORRUPT` on bad magic or a short prefix, `ERR_FORMAT` on an unknown version.
 */
export function headLength(bytes: Uint8Array, key: unknown): number {
  if (bytes.length < VERSION_PREFIX_LENGTH || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2] || bytes[3] !== MAGIC[3]) {
    throw corrupt(key, 'bad magic bytes');
  }
  const version = bytes[VERSION_AT]!;
  if (version < OLDEST_FORMAT_VERSION || version > NEWEST_FORMAT_VERSION) {
    throw unsupportedFormat(`blob format version ${version} (this version reads ${OLDEST_FORMAT_VERSION} to ${NEWEST_FORMAT_VERSION})`, key);
  }
  if (bytes.length < HEADER_SIZE) throw corrupt(key, 'truncated header');
  return HEADER_SIZE + getU32(bytes, META_LENGTH_AT);
}

/**
 * Parses and checks the header and meta of a blob prefix holding at least `headLength` bytes.
 * Errors with `ERR_CORRUPT` on damage, `ERR_FORMAT` on a version this code cannot read.
 */
export function parseHead(bytes: Uint8Array, key: unknown): { header: BlobHeader; meta: Uint8Array } {
  const header = checkHead(bytes, key);
  return { header, meta: bytes.subarray(HEADER_SIZE, valueOffset(header)) };
}

/**
 * Checks the header and meta of a blob prefix holding at least `headLength` bytes and returns the
 * header; the meta is `bytes[HEADER_SIZE..valueOffset(header))`. Errors like {@link parseHead}.
 */
function checkHead(bytes: Uint8Array, key: unknown): BlobHeader {
  checkedHeadLength(bytes, key);
  return headerOf(bytes);
}

/** Checks the header and meta like {@link checkHead}; returns their length, where the value starts. */
function checkedHeadLength(bytes: Uint8Array, key: unknown): number {
  const end = headLength(bytes, key);
  if (bytes.length < end) throw corrupt(key, 'truncated meta');
  if (crc32Range(bytes, HEADER_SIZE, end, crc32Range(bytes, 0, HEAD_CRC_AT)) !== getU32(bytes, HEAD_CRC_AT)) throw corrupt(key, 'header checksum mismatch');
  return end;
}

/** The number of bytes before the value: header plus meta. */
export function valueOffset(header: BlobHeader): number {
  return HEADER_SIZE + header.metaLength;
}

/**
 * What parsing a stable blob array gave, kept on the array itself under a private symbol. Bytes
 * never change once a backing has returned them (the BackingStore contract), so an array that
 * passed once holds the same bytes on every later read of it (a backing with `stableArrays` hands
 * back the same array until the blob changes), and its parts are the same too: such a read
 * allocates nothing. New bytes, damaged ones included, always arrive in a new array and are
 * checked. Only stable arrays are marked: a fresh array per read (Redis, files) would gain nothing.
 *
 * An array parsed once is only marked (`null`); its parts are kept from its second parse on. The
 * parts (about 300 bytes: the parse, the value view and what the decoder hangs on that view)
 * pay off only when a blob is read again: kept from the first read, a pass that reads every key
 * once (an export, a warm-up, a benchmark with a key per operation) left them all behind, and the
 * young-generation collections copied and promoted them while the pass ran.
 *
 * A property rather than a WeakMap entry: setting one on a fresh array costs about 0.04 µs, a
 * WeakMap entry about 0.45 µs (and every first read of a blob pays it). It goes with its array. It
 * is not enumerable, so it shows nowhere but in `Object.getOwnPropertySymbols`. An array that
 * cannot take it (made non-extensible by its backing) is checked on every read.
 */
const PARSED = Symbol('konserve-rx parsed blob');

/** A stable blob array as core marks it (see {@link PARSED}). */
type MarkedArray = Uint8Array & { [PARSED]?: ParsedBlob | null };

/** The mark of an array parsed once: writable, for its parts from the second parse on. */
const PARSED_ONCE: PropertyDescriptor = { value: null, writable: true };

/** Records what the latest parse of a stable array gave. */
function mark(bytes: MarkedArray, parsed: ParsedBlob | null): void {
  if (parsed === null) {
    if (Object.isExtensible(bytes)) Object.defineProperty(bytes, PARSED, PARSED_ONCE);
  } else if (bytes[PARSED] === null) {
    bytes[PARSED] = parsed;
  }
}

/** The fields of a blob's fixed header, read without any check. */
function headerOf(bytes: Uint8Array): BlobHeader {
  return {
    version: bytes[VERSION_AT]!,
    serializer: bytes[SERIALIZER_AT]!,
    compressor: bytes[COMPRESSOR_AT]!,
    encryptor: bytes[ENCRYPTOR_AT]!,
    metaLength: getU32(bytes, META_LENGTH_AT),
    valueLength: valueLengthOf(bytes),
    valueCrc: getU32(bytes, VALUE_CRC_AT),
    headCrc: getU32(bytes, HEAD_CRC_AT),
  };
}

/**
 * A whole blob that passed every check: the header fields reading it needs, and views of its meta
 * and value bytes. The fields are small integers kept in the object itself: a header object
 * beside it, with its two checksums boxed as heap numbers, cost each remembered parse about 70
 * bytes and each read of a fresh array one more allocation.
 */
export class ParsedBlob implements BlobCodecs {
  /**
   * The last key this blob was found to record: a parsed blob is kept with its array, so reads of
   * the same key skip the comparison (the bytes cannot change).
   */
  recordsKey: unknown = undefined;
  /** The format version the blob was written with. */
  readonly version: number;
  readonly serializer: number;
  readonly compressor: number;
  readonly encryptor: number;
  readonly metaLength: number;

  constructor(
    /** The whole blob. */
    readonly bytes: Uint8Array,
    /** The value bytes (a view into `bytes`). */
    readonly value: Uint8Array,
  ) {
    this.version = bytes[VERSION_AT]!;
    this.serializer = bytes[SERIALIZER_AT]!;
    this.compressor = bytes[COMPRESSOR_AT]!;
    this.encryptor = bytes[ENCRYPTOR_AT]!;
    this.metaLength = getU32(bytes, META_LENGTH_AT);
  }

  /** The meta bytes (a view into `bytes`, made when asked: a plain `get` never needs it). */
  get meta(): Uint8Array {
    return this.bytes.subarray(HEADER_SIZE, HEADER_SIZE + this.metaLength);
  }
}

/**
 * Checks a whole blob (magic, version, lengths, both checksums) and returns its parts. Errors with
 * `ERR_CORRUPT` on any damage, `ERR_FORMAT` on a version this code cannot read.
 * @param remember - the array is stable (see `BackingCapabilities.stableArrays`): once the same
 *   array was parsed twice, later calls return the same parts without checking again
 */
export function parseBlob(bytes: Uint8Array, key: unknown, remember = false): ParsedBlob {
  const known = remember ? (bytes as MarkedArray)[PARSED] : undefined;
  if (known) return known;
  const start = checkedHeadLength(bytes, key);
  const valueLength = valueLengthOf(bytes);
  if (bytes.length !== start + valueLength) throw corrupt(key, `expected ${start + valueLength} bytes, found ${bytes.length}`);
  const value = bytes.subarray(start);
  if (crc32(value) !== getU32(bytes, VALUE_CRC_AT)) throw corrupt(key, 'value checksum mismatch');
  const parsed = new ParsedBlob(bytes, value);
  // the first parse marks the array, the second keeps its parts (see PARSED)
  if (remember) mark(bytes, known === undefined ? null : parsed);
  return parsed;
}

/** The value's length: a u64, little-endian, read as two u32s. */
function valueLengthOf(bytes: Uint8Array): number {
  return getU32(bytes, VALUE_LENGTH_AT) + getU32(bytes, VALUE_LENGTH_AT + 4) * 2 ** 32;
}

/** Reads a little-endian u32. */
export function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Writes a little-endian u32. */
export function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
