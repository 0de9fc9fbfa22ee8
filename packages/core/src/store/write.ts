/** Writing blobs inside flows: building a blob from meta and value bytes, and committing it. */
import { encodeBlob, EXPIRING_FORMAT_VERSION, finishBlob, FORMAT_VERSION, HEADER_SIZE, type CodecIds } from '../format/blob';
import { allocateBlob } from '../internal/blob-slab';
import type { BatchEntry, MaybePromise } from '../backing';
import { isThenable, type Flow } from './engine/flow';
import { buildMeta, builtMetaSize, encodeMeta, writeBuiltMeta } from '../format/meta';
import { RAW_SERIALIZER_ID } from '../format/value-codec';
import type { BlobType, Key, Meta, UserMeta } from '../store-api';
import { io, type StoreContext } from './engine/context';
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
  const lastWrite = ctx.clock();
  const expiresAt = expiresAtOf(expiry, lastWrite);
  const meta = buildMeta(key, type, lastWrite, user, expiresAt);
  return new Prepared(id, meta, blobOf(ids, meta, value), value.length);
}

/** The blob of `meta` and `value`; the common Meta is written straight into it, with no array of its own. */
function blobOf(ids: CodecIds, meta: Meta, value: Uint8Array): Uint8Array {
  const metaSize = builtMetaSize(meta);
  if (metaSize < 0) return encodeBlob(ids, encodeMeta(meta), value, blobVersion(meta));
  const out = allocateBlob(HEADER_SIZE + metaSize + value.length);
  writeBuiltMeta(out, HEADER_SIZE, meta);
  return finishBlob(out, ids, metaSize, value, blobVersion(meta));
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
