/**
 * The vocabulary every contract shares: keys, paths, metadata, write operations and the head of
 * an append log. A leaf module (it imports nothing), so the Store, Schema and Backing contracts
 * can all use it without importing one another in a circle.
 */

/** A top-level key: a string, a finite number, or an array / plain object of keys, compared by value. */
export type Key = string | number | readonly Key[] | { readonly [field: string]: Key };

/** A path into a stored value: the top-level key, then object fields, array indexes or Map keys. */
export type Path = readonly [Key, ...(string | number)[]];

/** What a stored key holds. */
export type BlobType = 'value' | 'binary' | 'append-log';

/** User metadata stored beside a value with `assoc(key, value, { meta })`. */
export type UserMeta = Record<string, unknown>;

/** Metadata of a stored key: built fields win over user fields. */
export interface Meta {
  /** The user key. */
  key: Key;
  /** What the key holds; follows the latest write. */
  type: BlobType;
  /** When the key was last written, from a clock that never goes backwards. */
  lastWrite: Date;
  /**
   * When the key expires, in milliseconds since the epoch (set by a write's `ttl`); absent for a
   * key that never expires. From that instant on the key is missing everywhere.
   */
  expiresAt?: number;
  /** User metadata fields. */
  [field: string]: unknown;
}

/** The name of the Store method that made a write. */
export type WriteOp = 'assoc' | 'assocIn' | 'update' | 'updateIn' | 'dissoc' | 'bassoc' | 'append' | 'multiAssoc' | 'multiDissoc';

/** The head of an append log, as stored under its key and returned by `append`. */
export interface AppendLogHead {
  /** The number of elements in the log. */
  count: number;
  /** The generation of the log's element blobs (a fresh random id per new log). */
  gen: string;
}
