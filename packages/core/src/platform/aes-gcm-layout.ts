/**
 * The byte layout of an AES-256-GCM value on every platform: `nonce (12) ‖ ciphertext ‖ tag (16)`.
 * Both sides of the platform seam write and read exactly this, so a value encrypted in Node
 * decrypts in a browser and back.
 */

/** Bytes of the random nonce that opens an encrypted value. */
export const AES_GCM_NONCE = 12;
/** Bytes of the authentication tag that closes it. */
export const AES_GCM_TAG = 16;
