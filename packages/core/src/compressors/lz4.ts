/** LZ4 compression through the lz4-napi package (native, prebuilt binaries shipped on npm). */
import type { Compressor } from '../codec';
import { KonserveError } from '../errors';
import { requireLz4 } from '#platform';
import { plainBytes } from './internal/plain-bytes';

/** The header id of the LZ4 compressor. */
export const LZ4_COMPRESSOR_ID = 3;

type Lz4 = Pick<typeof import('lz4-napi'), 'compressFrameSync' | 'decompressFrameSync'>;
let lz4: Lz4 | undefined;

/**
 * Creates the LZ4 compressor (id 3): the standard LZ4 frame format (readable by the `lz4`
 * command-line tool), through lz4-napi. Several times faster than gzip with a lower ratio:
 * the choice when write and read speed matter more than size.
 *
 * lz4-napi's native module is loaded on first use, so importing `@konserve-rx/core` works on
 * platforms it has no binary for; there, this factory errors with `ERR_FORMAT`.
 * @returns a Compressor with id 3
 * @example
 * ```ts
 * const store = createStore(memoryBacking(), { compressor: lz4Compressor() });
 * ```
 */
export function lz4Compressor(): Compressor {
  const codec = loadLz4();
  return {
    id: LZ4_COMPRESSOR_ID,
    name: 'lz4',
    compress: (bytes) => plainBytes(codec.compressFrameSync(toBuffer(bytes))),
    // lz4-napi cannot stop at a length: the store checks the output after the call, and an LZ4
    // frame expands at most about 255:1, so a payload cannot grow far beyond its blob
    decompress: (bytes) => plainBytes(codec.decompressFrameSync(toBuffer(bytes))),
  };
}

function loadLz4(): Lz4 {
  if (lz4 === undefined) {
    try {
      lz4 = requireLz4();
    } catch (e) {
      const why = `unsupported stored format: lz4 (compressor id ${LZ4_COMPRESSOR_ID}) needs lz4-napi's native module for this platform`;
      throw new KonserveError('ERR_FORMAT', why, { cause: e });
    }
  }
  return lz4;
}

// lz4-napi takes Buffers; this runs only where it loaded (Node)
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
