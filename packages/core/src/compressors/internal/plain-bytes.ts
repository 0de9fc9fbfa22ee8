/** Views a Node Buffer as a plain Uint8Array (no copy), so `slice()` downstream copies as it does for Uint8Array. */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
