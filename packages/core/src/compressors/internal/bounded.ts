import { MAX_BUFFER_LENGTH } from '#platform';

/**
 * node:zlib options that make a synchronous decompression throw (`ERR_BUFFER_TOO_LARGE`) as soon
 * as its output passes `maxLength` bytes, before allocating more; no options without a bound.
 */
export function bounded(maxLength: number | undefined): { maxOutputLength: number } | undefined {
  if (maxLength === undefined) return undefined;
  // zlib rejects a bound below 1 or above the largest Buffer; the store checks the exact length
  return { maxOutputLength: Math.min(Math.max(1, maxLength), MAX_BUFFER_LENGTH) };
}
