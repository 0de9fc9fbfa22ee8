/** gzip compression: node:zlib in Node, CompressionStream in browsers (through core's platform seam). */
import { gunzip, gzip } from '#platform';
import { mapMaybe } from '../maybe-promise';
import type { Compressor } from '../codec';
import { invalidArgument } from '../errors';
import { plainBytes } from './internal/plain-bytes';

/** The header id of the gzip compressor. */
export const GZIP_COMPRESSOR_ID = 1;

/** Options of {@link gzipCompressor}. */
export interface GzipCompressorOptions {
  /**
   * The zlib compression level, 1 (fastest) to 9 (smallest). Browsers' CompressionStream takes
   * no level: there it only checks the option.
   * @default 6
   */
  level?: number;
}

/**
 * Creates the gzip compressor (id 1): RFC 1952 gzip members, through node:zlib's synchronous API
 * in Node and through `CompressionStream` in browsers, where it answers with promises (the Store
 * API is the same). Either platform reads what the other wrote. Widely readable and moderately fast; {@link brotliCompressor} compresses better and
 * {@link lz4Compressor} runs faster.
 * @param options - the compression level
 * @returns a Compressor with id 1; errors with `ERR_INVALID_ARGUMENT` on a bad level
 * @example
 * ```ts
 * const store = createStore(memoryBacking(), { compressor: gzipCompressor({ level: 6 }) });
 * ```
 */
export function gzipCompressor(options: GzipCompressorOptions = {}): Compressor {
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw invalidArgument('gzipCompressor: `level` must be an integer in 1..9');
  return {
    id: GZIP_COMPRESSOR_ID,
    name: 'gzip',
    compress: (bytes) => mapMaybe(gzip(bytes, level), plainBytes),
    decompress: (bytes, maxLength) => mapMaybe(gunzip(bytes, maxLength), plainBytes),
  };
}
