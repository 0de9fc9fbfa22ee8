/**
 * The Redis key layout of one store (docs/redis.md, "Key layout"): blobs under `<prefix>b:`,
 * locks under `<prefix>l:`, the marker `<prefix>store`, and one pub/sub channel `<prefix>changes`.
 */

/** The names one store uses on the server. */
export interface Keyspace {
  /** The key holding blob `id`. */
  blob(id: string): string;
  /** The key of the cross-process lock on blob `id`. */
  lock(id: string): string;
  /** The key that marks the store as created (written on first connect). */
  readonly marker: string;
  /** `SCAN MATCH` patterns covering every key of the store (blobs, locks), for deleting it. */
  readonly patterns: readonly string[];
  /** The pub/sub channel change notices travel on. */
  readonly channel: string;
  /** The `SCAN MATCH` pattern of every blob key (glob characters of the prefix escaped). */
  readonly blobPattern: string;
  /** The `SCAN MATCH` pattern of the blob keys whose id starts with `idPrefix` (a scope's prefix). */
  blobPatternWith(idPrefix: string): string;
  /** The blob id of a key returned by `SCAN`, or `undefined` when it is not one (a nested prefix's key). */
  idOf(key: string): string | undefined;
}

/** Builds the key layout of a store with `prefix`. */
export function keyspace(prefix: string): Keyspace {
  const blobs = `${prefix}b:`;
  const locks = `${prefix}l:`;
  return {
    blob: (id) => blobs + id,
    lock: (id) => locks + id,
    marker: `${prefix}store`,
    patterns: [`${escapeGlob(blobs)}*`, `${escapeGlob(locks)}*`],
    channel: `${prefix}changes`,
    blobPattern: `${escapeGlob(blobs)}*`,
    blobPatternWith: (idPrefix) => `${escapeGlob(blobs + idPrefix)}*`,
    idOf: (key) => {
      const id = key.slice(blobs.length);
      return BLOB_ID.test(id) ? id : undefined;
    },
  };
}

/** Blob ids core chooses; anything else under the blob prefix belongs to another store. */
const BLOB_ID = /^[0-9a-z.-]+$/;

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
