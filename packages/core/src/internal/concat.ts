/** Joining byte arrays without Node's Buffer (core runs in browsers too). */

/**
 * Concatenates chunks into one new array.
 * @param chunks - the arrays, in order
 * @returns a new array holding them all
 */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
