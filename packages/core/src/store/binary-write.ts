/**
 * Binaries: `bassoc` stores raw bytes (streamed to the backing when it can take a stream, so a
 * large upload never sits in memory whole) and `bget` hands a checked view of them to the
 * user's reader inside the key's read lock.
 */
import { concatBytes } from '../internal/concat';
import { crc32 } from '../format/crc32';
import { invalidArgument } from '../errors';
import { HEADER_SIZE, writeHeader } from '../format/blob';
import { wait, type Flow } from './engine/flow';
import { buildMeta, encodeMeta } from '../format/meta';
import type { Key, Meta, UserMeta } from '../store-api';
import { guardSource, type GuardedSource } from './binary-source';
import { io, type StoreContext } from './engine/context';
import { expiresAtOf, type Expiry } from './expiry';
import { blobVersion, commit, prepareBlob, RAW_IDS } from './write';

const encoder = new TextEncoder();

/**
 * Validates `bassoc` input at subscribe time: bytes are copied now; streams are guarded now (their
 * errors are held from this moment) and read later.
 */
export function binarySource(data: unknown, key: unknown): Uint8Array | GuardedSource {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data.slice();
  if (data !== null && typeof data === 'object' && Symbol.asyncIterator in data) return guardSource(data as AsyncIterable<Uint8Array | string>);
  throw invalidArgument('bassoc takes a Uint8Array, a string, a Readable or an AsyncIterable of bytes', key);
}

/**
 * Writes a binary blob from bytes or a stream; returns its Meta. A failure of the caller's stream
 * fails the write with that very error (not `ERR_IO`, whatever the backing made of it).
 */
export function* writeBinary(ctx: StoreContext, id: string, key: Key, source: Uint8Array | GuardedSource, user?: UserMeta, expiry?: Expiry): Flow<Meta> {
  if (source instanceof Uint8Array) return yield* commit(ctx, prepareBlob(ctx, id, key, 'binary', source, user, RAW_IDS, expiry));
  try {
    return yield* writeStreamed(ctx, id, key, source, user, expiry);
  } catch (e) {
    throw source.failure()?.error ?? e;
  }
}

function* writeStreamed(ctx: StoreContext, id: string, key: Key, source: GuardedSource, user?: UserMeta, expiry?: Expiry): Flow<Meta> {
  const { writeStream } = ctx.backing;
  if (writeStream === undefined) {
    const bytes = yield* wait(collect(source.chunks()));
    return yield* commit(ctx, prepareBlob(ctx, id, key, 'binary', bytes, user, RAW_IDS, expiry));
  }
  const lastWrite = ctx.clock();
  const meta = buildMeta(key, 'binary', lastWrite, user, expiresAtOf(expiry, lastWrite));
  const metaBytes = encodeMeta(meta);
  const stream = source.chunks();
  const head = new Uint8Array(HEADER_SIZE + metaBytes.length);
  head.set(metaBytes, HEADER_SIZE);
  let length = 0;
  let crc = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield head;
    for await (const bytes of stream) {
      length += bytes.length;
      crc = crc32(bytes, crc);
      yield bytes;
    }
  }
  const finalHead = (): Uint8Array => {
    writeHeader(head, RAW_IDS, metaBytes.length, length, crc, blobVersion(meta));
    return head;
  };
  yield* io(key, () => writeStream.call(ctx.backing, id, chunks(), finalHead));
  return meta;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return concatBytes(parts);
}
