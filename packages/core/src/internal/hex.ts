/** Lowercase hex of bytes, without Node's Buffer (core runs in browsers too). */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The lowercase hex form of `bytes`.
 * @param bytes - any bytes
 * @returns two hex characters per byte
 */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}
