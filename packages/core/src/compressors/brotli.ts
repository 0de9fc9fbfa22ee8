/** Brotli compression from node:zlib (through core's platform seam; browsers have none). */
import { brotli, unbrotli } from '#platform';
import type { Compressor } from '../codec';
import { invalidArgument } from '../errors';
import { plainBytes } from './internal/plain-bytes';

/** The header id of the brotli compressor. */
export const BROTLI_COMPRESSOR_ID = 2;

/** Options of {@link brotliCompressor}. */
export interface BrotliCompressorOptions {
  /**
   * The brotli quality, 0 (fastest) to 11 (smallest). zlib's own default, 11, is several times
   * slower than 5 for a few percent less size, too slow for a store's writes.
   * @default 5
   */
  quality?: number;
}

/**
 * Creates the brotli compressor (id 2): RFC 7932 streams through node:zlib's synchronous API.
 * Smaller output than gzip at a similar speed for quality 5; best for text-heavy values. Browsers
 * have no brotli: there, writing or reading with it errors with `ERR_FORMAT` naming brotli.
 * @param options - the quality
 * @returns a Compressor with id 2; errors with `ERR_INVALID_ARGUMENT` on a bad quality
 * @example
 * ```ts
 * const store = createStore(memoryBacking(), { compressor: brotliCompressor({ quality: 5 }) });
 * ```
 */
export function brotliCompressor(options: BrotliCompressorOptions = {}): Compressor {
  const quality = options.quality ?? 5;
  if (!Number.isInteger(quality) || quality < 0 || quality > 11) throw invalidArgument('brotliCompressor: `quality` must be an integer in 0..11');
  return {
    id: BROTLI_COMPRESSOR_ID,
    name: 'brotli',
    compress: (bytes) => plainBytes(brotli(bytes, quality)),
    decompress: (bytes, maxLength) => plainBytes(unbrotli(bytes, maxLength)),
  };
}
