/** The `BinaryBlob` handed to `bget` readers: positional reads when the backing can open blobs. */
import { concatBytes } from '../internal/concat';
import { crc32 } from '../format/crc32';
import type { BlobHandle, MaybePromise } from '../backing';
import { corrupt, invalidArgument } from '../errors';
import { headLength, parseHead, valueOffset, type BlobHeader } from '../format/blob';
import type { Flow } from './engine/flow';
import type { KeyRef } from '../format/key';
import { checkMetaKey } from '../format/key-check';
import { decodeMeta } from '../format/meta';
import type { BinaryBlob, Meta } from '../store-api';
import { io, type StoreContext } from './engine/context';
import { hasExpired } from './expiry';
import { metaOf, readBlob } from './read';

const CHUNK = 64 * 1024;

/** An opened binary: the blob view and how to release it. */
export interface OpenBinary {
  readonly blob: BinaryBlob;
  readonly close: () => MaybePromise<void>;
}

/** Opens the binary under `ref`; `undefined` when missing; `ERR_INVALID_ARGUMENT` for a non-binary key. */
export function* openBinary(ctx: StoreContext, ref: KeyRef): Flow<OpenBinary | undefined> {
  const { backing } = ctx;
  if (backing.open === undefined) {
    const stored = yield* readBlob(ctx, ref.id, ref.key);
    if (stored === undefined) return undefined;
    requireBinary(metaOf(stored, ref.key), ref);
    const bytes = stored.value;
    const blob: BinaryBlob = {
      size: bytes.length,
      bytes: async () => bytes.slice(),
      stream: async function* () {
        yield bytes.slice();
      },
    };
    return { blob, close: () => undefined };
  }
  const handle = yield* io(ref.key, () => backing.open!(ref.id));
  if (handle === undefined) return undefined;
  let header: BlobHeader | undefined;
  try {
    header = yield* readHandleHead(ctx, handle, ref);
  } catch (e) {
    yield* io(ref.key, () => handle.close());
    throw e;
  }
  if (header !== undefined) return { blob: handleBlob(handle, header, ref.key), close: () => handle.close() };
  yield* io(ref.key, () => handle.close());
  return undefined;
}

/** The checked header of an opened binary; `undefined` when it has expired. */
function* readHandleHead(ctx: StoreContext, handle: BlobHandle, ref: KeyRef): Flow<BlobHeader | undefined> {
  let bytes = yield* io(ref.key, () => handle.read(0, Math.min(handle.size, 1024)));
  const need = headLength(bytes, ref.key);
  if (need > bytes.length) bytes = yield* io(ref.key, () => handle.read(0, need));
  const { header, meta } = parseHead(bytes, ref.key);
  const decoded = decodeMeta(meta, ref.key, header.version);
  checkMetaKey(decoded, ref.key);
  if (hasExpired(ctx, decoded)) return undefined;
  requireBinary(decoded, ref);
  if (handle.size !== valueOffset(header) + header.valueLength) throw corrupt(ref.key, 'binary size does not match its header');
  return header;
}

function handleBlob(handle: BlobHandle, header: BlobHeader, key: unknown): BinaryBlob {
  const start = valueOffset(header);
  const size = header.valueLength;
  async function* stream(): AsyncGenerator<Uint8Array> {
    let crc = 0;
    for (let pos = 0; pos < size;) {
      const chunk = await handle.read(start + pos, Math.min(CHUNK, size - pos));
      if (chunk.length === 0) throw corrupt(key, 'binary ends early');
      pos += chunk.length;
      crc = crc32(chunk, crc);
      if (pos === size && crc !== header.valueCrc) throw corrupt(key, 'value checksum mismatch');
      yield chunk;
    }
  }
  return {
    size,
    async bytes() {
      const parts: Uint8Array[] = [];
      for await (const chunk of stream()) parts.push(chunk);
      return parts.length === 1 ? parts[0]! : concatBytes(parts);
    },
    stream,
  };
}

/** Errors unless `meta` is a binary's stored under `ref`: `ERR_CORRUPT` for another key's, `ERR_INVALID_ARGUMENT` for a non-binary. */
function requireBinary(meta: Meta, ref: KeyRef): void {
  checkMetaKey(meta, ref.key);
  if (meta.type !== 'binary') throw invalidArgument(`bget reads binaries; the key holds a ${meta.type}`, ref.key);
}
