/**
 * The Redis key layout of one store (docs/redis.md, "Key layout"): blobs under `<prefix>b:`,
 * locks under `<prefix>l:`, and one pub/sub channel `<prefix>changes`.
 */

/** The names one store uses on the server. */
export interface Keyspace {
  /** The key holding blob `id`. */
  blob(id: string): string;
  /** The key of the cross-process lock on blob `id`. */
  lock(id: string): string;
  /** The pub/sub channel change notices travel on. */
  readonly channel: string;
  /** The `SCAN MATCH` pattern of every blob key (glob characters of the prefix escaped). */
  readonly blobPattern: string;
  /** The blob id of a key returned by `SCAN`. */
  idOf(key: string): string;
}

/** Builds the key layout of a store with `prefix`. */
export function keyspace(prefix: string): Keyspace {
  const blobs = `${prefix}b:`;
  return {
    blob: (id) => blobs + id,
    lock: (id) => `${prefix}l:${id}`,
    channel: `${prefix}changes`,
    blobPattern: `${escapeGlob(blobs)}*`,
    idOf: (key) => key.slice(blobs.length),
  };
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
