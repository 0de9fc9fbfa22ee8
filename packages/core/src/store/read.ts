/** Reading blobs inside flows: whole blobs, header+meta only, and decoding stored values. */
import { corrupt } from '../errors';
import type { MaybePromise } from '../backing';
import { canExpire, HEADER_SIZE, headLength, parseBlob, parseHead, type BlobCodecs, type ParsedBlob } from '../format/blob';
import type { KeyRef } from '../format/key';
import { isThenable, type Flow } from './engine/flow';
import { KeyCallPlan, type Sink } from './engine/plan';
import { checkBlobKey, checkMetaKey } from '../format/key-check';
import { decodeMeta } from '../format/meta';
import { RAW_SERIALIZER_ID } from '../format/value-codec';
import type { Meta } from '../store-api';
import { io, type StoreContext } from './engine/context';
import { hasExpired, isPast } from './expiry';

/** A checked blob: its header fields and views of its meta and value bytes. */
export type StoredBlob = ParsedBlob;

/** Value bytes and the codecs they were written with: what decoding needs of a blob. */
export type EncodedValue = BlobCodecs & { readonly value: Uint8Array };

/** How many bytes to ask for first when only header and meta are wanted. */
const HEAD_GUESS = 1024;

/**
 * Reads and checks a whole blob; `undefined` when missing or expired. With a `key`, the blob must
 * record that key (else `ERR_CORRUPT`: a blob copied over another key's); without, the caller checks.
 */
export function* readBlob(ctx: StoreContext, id: string, key: unknown): Flow<StoredBlob | undefined> {
  return yield* io(
    key,
    () => ctx.backing.read(id),
    (bytes) => liveBlob(ctx, checkedBlob(ctx, bytes, key), key),
  );
}

/**
 * `get`: reads, checks and decodes the value of a key (`notFound` when it is missing or expired).
 * One backing call and what follows it, so a plan of two methods and no closure (see CallPlan).
 */
export class ReadValuePlan extends KeyCallPlan<unknown, Uint8Array | undefined> {
  readonly mode = 'read';

  constructor(
    ctx: StoreContext,
    ref: KeyRef,
    private readonly notFound: unknown,
  ) {
    super(ctx, ref);
  }

  /** The whole blob, or `undefined`. */
  call(): MaybePromise<Uint8Array | undefined> {
    return this.ctx.backing.read(this.ref.id);
  }

  /** Checks and decodes the blob, and emits its value (`notFound` when missing or expired). */
  answered(bytes: Uint8Array | undefined, out: Sink<unknown>): MaybePromise<void> {
    return emitValue(this.ctx, this.ref, this.notFound, out, bytes);
  }
}

/** Checks and decodes the bytes `get` read, and emits the value (`notFound` when missing or expired). */
function emitValue(ctx: StoreContext, ref: KeyRef, notFound: unknown, out: Sink<unknown>, bytes: Uint8Array | undefined): MaybePromise<void> {
  const blob = liveBlob(ctx, checkedBlob(ctx, bytes, ref.key), ref.key);
  if (blob === undefined) return out.emit(notFound);
  const value = decodeValue(ctx, blob, ref);
  return isThenable(value) ? Promise.resolve(value).then((v) => out.emit(v)) : out.emit(value);
}

/** `blob` unless it has expired. */
function liveBlob(ctx: StoreContext, blob: StoredBlob | undefined, key: unknown): StoredBlob | undefined {
  return blob === undefined || isPast(ctx, blobExpiresAt(blob, key)) ? undefined : blob;
}

/**
 * When a checked blob's key expires, or `undefined` when it never does. Only blobs of a format
 * version that can expire have their meta decoded here.
 */
export function blobExpiresAt(blob: StoredBlob, key: unknown): number | undefined {
  return canExpire(blob.version) ? metaOf(blob, key).expiresAt : undefined;
}

/** `bytes` checked as a whole blob that records `key` (when given); `undefined` stays. */
export function checkedBlob(ctx: StoreContext, bytes: Uint8Array | undefined, key: unknown): StoredBlob | undefined {
  if (bytes === undefined) return undefined;
  const blob = parseBlob(bytes, key, ctx.backing.capabilities.stableArrays === true);
  if (key !== undefined && blob.recordsKey !== key) {
    checkBlobKey(bytes, blob.metaLength, key);
    blob.recordsKey = key;
  }
  return blob;
}

/**
 * Reads only header and meta (when the backing can) and decodes the Meta, expired or not;
 * `undefined` when missing. For what must see expired keys: deleting them, sweeping them.
 */
export function readStoredMeta(ctx: StoreContext, id: string, key: unknown): Flow<Meta | undefined> {
  return readMeta(ctx, id, key, true);
}

/**
 * Reads only header and meta (when the backing can) and decodes the Meta; `undefined` when
 * missing or (unless `withExpired`) expired.
 *
 * Each `readHead` call returns a prefix of one version of the blob, but two calls may see two
 * versions (another process rewrote the key in between). So whether the meta is complete is
 * judged on the bytes of one call only: a read that filled the length asked for was cut short by
 * us, not by the blob's end, and is repeated with the length its own header asks for. Only a read
 * that ended before its own header's length is a truncated blob (`ERR_CORRUPT`).
 */
export function* readMeta(ctx: StoreContext, id: string, key: unknown, withExpired = false): Flow<Meta | undefined> {
  const { backing } = ctx;
  if (backing.readHead === undefined) return live(ctx, yield* readMetaWhole(ctx, id, key), withExpired);
  let asked = HEAD_GUESS;
  for (let attempt = 0; attempt < HEAD_ATTEMPTS; attempt++) {
    const bytes = yield* io(key, () => backing.readHead!(id, asked));
    if (bytes === undefined) return undefined;
    const need = bytes.length >= HEADER_SIZE ? headLength(bytes, key) : 0;
    if (need <= bytes.length || bytes.length < asked) {
      return live(ctx, metaOfHead(bytes, key, id), withExpired);
    }
    asked = need;
  }
  // the key's meta changed size between every pair of reads: one whole read is one version
  return live(ctx, yield* readMetaWhole(ctx, id, key), withExpired);
}

/** `meta`, or `undefined` when it has expired (unless `withExpired`). */
function live(ctx: StoreContext, meta: Meta | undefined, withExpired: boolean): Meta | undefined {
  return meta === undefined || withExpired || !hasExpired(ctx, meta) ? meta : undefined;
}

/**
 * Head reads before {@link readMeta} falls back to one whole read: the first, and re-reads while
 * a writer keeps changing the meta's size under them.
 */
const HEAD_ATTEMPTS = 3;

function* readMetaWhole(ctx: StoreContext, id: string, key: unknown): Flow<Meta | undefined> {
  const blob = yield* io(
    key,
    () => ctx.backing.read(id),
    (bytes) => checkedBlob(ctx, bytes, key),
  );
  return blob && checkedMeta(metaOf(blob, key), key, id);
}

/** `meta` once it is known to belong under `id` (and to `key`, when given); else `ERR_CORRUPT`. */
function checkedMeta(meta: Meta, key: unknown, id: string): Meta {
  checkMetaKey(meta, key, id);
  return meta;
}

/**
 * Decodes a blob's value: a fresh copy of the bytes for binaries, the decoded value otherwise;
 * a promise of it when a codec of the blob is asynchronous (in a flow: `yield* wait(...)`).
 * @param place - for an append-log element, `<gen>.<index>`
 */
export function decodeValue(ctx: StoreContext, blob: EncodedValue, ref: KeyRef, place?: string): unknown {
  // a copy into a plain array: the value may be a view of a Buffer (a backing's read), whose
  // slice() would share the stored bytes
  if (blob.serializer === RAW_SERIALIZER_ID) return new Uint8Array(blob.value);
  return ctx.codec.decode(ref, blob, blob.value, place, ctx.backing.capabilities.stableArrays);
}

/**
 * A function that decodes a fresh copy of a blob's value each call, once the blob is decrypted
 * and decompressed (a promise of it when a codec of the blob is asynchronous).
 * @param place - for an append-log element, `<gen>.<index>`
 */
export function valueReader(ctx: StoreContext, blob: EncodedValue, ref: KeyRef, place?: string): MaybePromise<() => unknown> {
  if (blob.serializer === RAW_SERIALIZER_ID) return () => new Uint8Array(blob.value);
  return ctx.codec.reader(ref, blob, blob.value, place);
}

/**
 * The Meta of a blob prefix holding at least its header and meta, once checked (magic, version,
 * head checksum) and known to belong under `id` (and to `key`, when given); else `ERR_CORRUPT`.
 */
export function metaOfHead(bytes: Uint8Array, key: unknown, id: string): Meta {
  const head = parseHead(bytes, key);
  return checkedMeta(decodeMeta(head.meta, key, head.header.version), key, id);
}

/** Decodes the Meta of a checked blob. */
export function metaOf(blob: StoredBlob, key: unknown): Meta {
  return decodeMeta(blob.meta, key, blob.version);
}

/** Errors with `ERR_CORRUPT` when an internal blob that must exist is missing. */
export function missingPart(key: unknown, what: string): never {
  throw corrupt(key, `${what} is missing`);
}
