/** Writing blobs inside flows: building a blob from meta and value bytes, and committing it. */
import { encodeBlob, EXPIRING_FORMAT_VERSION, finishBlob, FORMAT_VERSION, HEADER_SIZE, type CodecIds } from '../format/blob';
import { allocateBlob } from '../internal/blob-slab';
import type { BatchEntry, MaybePromise } from '../backing';
import { isThenable, type Flow } from './engine/flow';
import { buildMeta, builtMetaSize, encodeMeta, writeBuiltMeta } from '../format/meta';
import { RAW_SERIALIZER_ID } from '../format/value-codec';
import type { BlobType, Key, Meta, UserMeta } from '../store-api';
import { io, type StoreContext } from './engine/context';
import type { KeyRef } from '../format/key';
import { expiresAtOf, type Expiry } from './expiry';

/** Codec ids of a raw binary blob: no serializer, compressor or encryptor. */
export const RAW_IDS: CodecIds = { serializer: RAW_SERIALIZER_ID, compressor: 0, encryptor: 0 };

/** A blob ready to be written, with the Meta it carries. */
export interface PreparedBlob {
  readonly id: string;
  readonly meta: Meta;
  readonly bytes: Uint8Array;
  /** The value bytes inside `bytes` (a private copy of what the codec produced). */
  readonly value: Uint8Array;
  /** The Meta's CBOR bytes inside `bytes` (`encodeMeta(meta)`, byte for byte). */
  readonly metaBytes: Uint8Array;
}

/** Builds the blob for `value` bytes (already encoded) with a fresh Meta; one that expires is format version 3. */
export function prepareBlob(
  ctx: StoreContext,
  id: string,
  key: Key,
  type: BlobType,
  value: Uint8Array,
  user?: UserMeta,
  ids: CodecIds = ctx.codec.ids,
  expiry?: Expiry,
): PreparedBlob {
  const meta = freshMeta(ctx, key, type, user, expiry);
  return new Prepared(id, meta, blobOf(ids, meta, metaLayout(meta), value), value.length);
}

/**
 * Encodes `value` for the key of `ref` and builds its value blob with a fresh Meta, like
 * `prepareBlob` of `ctx.codec.encode`. The value's bytes may be the serializer's transient ones
 * (`ValueCodec.encodeWith`), which the next CBOR encoding anywhere in the process overwrites
 * (cbor-x keeps one buffer for all its encoders). So the Meta is built, and an uncommon one
 * CBOR-encoded, before the value is encoded: between the value's encoding and its copy into the
 * blob nothing else runs.
 */
export function prepareValueBlob(ctx: StoreContext, ref: KeyRef, value: unknown, user?: UserMeta, expiry?: Expiry): MaybePromise<PreparedBlob> {
  const meta = freshMeta(ctx, ref.key, 'value', user, expiry);
  const layout = metaLayout(meta);
  const ids = ctx.codec.ids;
  return ctx.codec.encodeWith(ref, value, (bytes) => new Prepared(ref.id, meta, blobOf(ids, meta, layout, bytes), bytes.length));
}

function freshMeta(ctx: StoreContext, key: Key, type: BlobType, user: UserMeta | undefined, expiry: Expiry | undefined): Meta {
  const lastWrite = ctx.clock();
  return buildMeta(key, type, lastWrite, user, expiresAtOf(expiry, lastWrite));
}

/** The size of `meta` when `writeBuiltMeta` can write it in place, else its CBOR encoding. */
function metaLayout(meta: Meta): number | Uint8Array {
  const size = builtMetaSize(meta);
  return size < 0 ? encodeMeta(meta) : size;
}

/** The blob of `meta` and `value`; the common Meta is written straight into it, with no array of its own. */
function blobOf(ids: CodecIds, meta: Meta, layout: number | Uint8Array, value: Uint8Array): Uint8Array {
  if (typeof layout !== 'number') return encodeBlob(ids, layout, value, blobVersion(meta));
  const out = allocateBlob(HEADER_SIZE + layout + value.length);
  writeBuiltMeta(out, HEADER_SIZE, meta);
  return finishBlob(out, ids, layout, value, blobVersion(meta));
}

/** The format version of a blob carrying `meta`: 3 only for one that expires, so older readers still read the rest. */
export function blobVersion(meta: Meta): number {
  return meta.expiresAt === undefined ? FORMAT_VERSION : EXPIRING_FORMAT_VERSION;
}

// `value` is a view of `bytes` made on demand: only a change listener reads it, so a write in
// flight holds its blob and nothing else
class Prepared implements PreparedBlob {
  constructor(
    readonly id: string,
    readonly meta: Meta,
    readonly bytes: Uint8Array,
    private readonly valueLength: number,
  ) {}

  get value(): Uint8Array {
    return this.bytes.subarray(this.bytes.length - this.valueLength);
  }

  get metaBytes(): Uint8Array {
    return this.bytes.subarray(HEADER_SIZE, this.bytes.length - this.valueLength);
  }
}

/** Writes a prepared blob (atomic replace) and returns its Meta. */
export function* commit(ctx: StoreContext, blob: PreparedBlob): Flow<Meta> {
  yield* io(blob.meta.key, () => ctx.backing.write(blob.id, blob.bytes, blob.meta.expiresAt));
  return blob.meta;
}

/** Writes or deletes several blobs, in one batch when the backing supports it. */
export function* commitAll(ctx: StoreContext, entries: readonly BatchEntry[], key: unknown): Flow<void> {
  const { backing } = ctx;
  if (entries.length === 0) return;
  if (backing.writeBatch !== undefined && entries.length > 1) {
    yield* io(key, () => backing.writeBatch!(entries));
    return;
  }
  for (const [id, bytes, expiresAt] of entries) {
    if (bytes === null) yield* io(key, () => backing.delete(id));
    else yield* io(key, () => backing.write(id, bytes, expiresAt));
  }
}

/**
 * `x` itself, marked as handled when it is a promise: a blob still being encoded by an
 * asynchronous codec is awaited by its operation's run, and a run that never starts (its
 * subscriber left while it was queued) must not leave an unhandled rejection behind.
 */
export function settledLater<T>(x: MaybePromise<T>): MaybePromise<T> {
  if (isThenable<T>(x)) x.then(undefined, () => undefined);
  return x;
}
