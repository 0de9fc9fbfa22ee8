/**
 * The one error class of konserve-rx and the helpers that raise it.
 * Codes are stable across versions; messages may change. See docs/errors.md.
 */

import { publishDiagnostic } from './diagnostics';

/** Every stable error code a konserve-rx operation can fail with. */
export type KonserveErrorCode =
  | 'ERR_NOT_SERIALIZABLE'
  | 'ERR_CORRUPT'
  | 'ERR_FORMAT'
  | 'ERR_IO'
  | 'ERR_CLOSED'
  | 'ERR_DECRYPT'
  | 'ERR_INVALID_KEY'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_UNKNOWN_BACKEND'
  | 'ERR_SIMULATED_FAILURE'
  | 'ERR_LOCKED'
  | 'ERR_LOCK_LOST';

/** The list of every {@link KonserveErrorCode}, in documentation order. */
export const KONSERVE_ERROR_CODES: readonly KonserveErrorCode[] = [
  'ERR_NOT_SERIALIZABLE',
  'ERR_CORRUPT',
  'ERR_FORMAT',
  'ERR_IO',
  'ERR_CLOSED',
  'ERR_DECRYPT',
  'ERR_INVALID_KEY',
  'ERR_INVALID_ARGUMENT',
  'ERR_UNKNOWN_BACKEND',
  'ERR_SIMULATED_FAILURE',
  'ERR_LOCKED',
  'ERR_LOCK_LOST',
];

/** Options of a {@link KonserveError}: the key involved and the underlying cause. */
export interface KonserveErrorOptions {
  /** The user key the failed operation was about, when there is one. */
  key?: unknown;
  /** The underlying error (an fs error, a decoder error, ...). */
  cause?: unknown;
  /** A filesystem path or blob id the error is about, for I/O errors. */
  path?: string;
}

/**
 * The error every konserve-rx Observable fails with; branch on its stable `code`.
 * @example
 * ```ts
 * store.get('k').subscribe({ error: (e: KonserveError) => e.code === 'ERR_CORRUPT' && repair() });
 * ```
 */
export class KonserveError extends Error {
  /** The stable error code. */
  readonly code: KonserveErrorCode;
  /** The user key the failed operation was about, when there is one. */
  readonly key?: unknown;
  /** The file path or blob id involved, for I/O and format errors. */
  readonly path?: string;

  /**
   * @param code - the stable code
   * @param message - a human-readable explanation (not part of the contract)
   * @param options - key, path and cause
   */
  constructor(code: KonserveErrorCode, message: string, options: KonserveErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KonserveError';
    this.code = code;
    if (options.key !== undefined) this.key = options.key;
    if (options.path !== undefined) this.path = options.path;
  }
}

/**
 * True when `e` is a {@link KonserveError}, optionally with the given code.
 * @param e - anything caught or received as an error notification
 * @param code - the code to require, if any
 * @returns whether `e` is a `KonserveError` (with that code)
 */
export function isKonserveError(e: unknown, code?: KonserveErrorCode): e is KonserveError {
  return e instanceof KonserveError && (code === undefined || e.code === code);
}

/**
 * Describes a key for a message without throwing on odd values.
 * @param key - any value
 * @returns its JSON form, shortened to 80 characters
 */
export function describeKey(key: unknown): string {
  try {
    const s = typeof key === 'string' ? JSON.stringify(key) : (JSON.stringify(key) ?? String(key));
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(key);
  }
}

/**
 * A value the serializer cannot encode: nothing was written.
 * @param key - the key being written
 * @param cause - the serializer's error
 * @returns an `ERR_NOT_SERIALIZABLE` error
 */
export function notSerializable(key: unknown, cause?: unknown): KonserveError {
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return new KonserveError('ERR_NOT_SERIALIZABLE', `value for key ${describeKey(key)} cannot be serialized${why}`, { key, cause });
}

/**
 * A stored blob failed its checksum or structure check.
 * @param key - the key read
 * @param detail - what check failed
 * @param path - the file or blob id, if known
 * @returns an `ERR_CORRUPT` error
 */
export function corrupt(key: unknown, detail: string, path?: string): KonserveError {
  publishDiagnostic('corrupt', { backend: 'core', action: 'corrupt', key, detail, ...(path ? { path } : {}) });
  return new KonserveError('ERR_CORRUPT', `stored data for key ${describeKey(key)} is corrupt: ${detail}`, { key, ...(path ? { path } : {}) });
}

/**
 * A listed blob that `keys()` could not read, as it reports it (see `KeysOptions.onDamaged`): the
 * read's code (`ERR_CORRUPT`, `ERR_FORMAT`, `ERR_IO`), `path` set to the blob id (what
 * `store.backing.delete` takes to remove it), `key` when the read knew it, and the read's own error
 * as `cause` (for an I/O error its `path` names the file or server key).
 * @param id - the listed blob id
 * @param cause - the error reading its header and meta failed with
 * @returns an error with the same code, naming the blob id
 */
export function unreadableEntry(id: string, cause: KonserveError): KonserveError {
  return new KonserveError(cause.code, `listed blob ${id} cannot be read: ${cause.message}`, { key: cause.key, path: id, cause });
}

/**
 * A blob written by an unknown format version, serializer, compressor or encryptor.
 * @param what - the unknown version or codec id
 * @param key - the key read, if known
 * @param path - the file or blob id, if known
 * @returns an `ERR_FORMAT` error
 */
export function unsupportedFormat(what: string, key?: unknown, path?: string): KonserveError {
  return new KonserveError('ERR_FORMAT', `unsupported stored format: ${what}`, { key, ...(path ? { path } : {}) });
}

/**
 * An operation on a store that is closed or closing.
 * @param op - the method that was called
 * @returns an `ERR_CLOSED` error
 */
export function closed(op: string): KonserveError {
  return new KonserveError('ERR_CLOSED', `cannot ${op}: the store is closed`);
}

/**
 * A key that is not a string, finite number, or array/plain object of those.
 * @param key - the rejected key
 * @param why - what is wrong with it
 * @returns an `ERR_INVALID_KEY` error
 */
export function invalidKey(key: unknown, why: string): KonserveError {
  let shown: string;
  try {
    shown = describeKey(key);
  } catch {
    shown = typeof key;
  }
  return new KonserveError('ERR_INVALID_KEY', `invalid key ${shown}: ${why}`, { key });
}

/**
 * An argument of the wrong shape.
 * @param message - what is wrong
 * @param key - the key involved, if any
 * @returns an `ERR_INVALID_ARGUMENT` error
 */
export function invalidArgument(message: string, key?: unknown): KonserveError {
  return new KonserveError('ERR_INVALID_ARGUMENT', message, { key });
}

/**
 * Wraps an error from a backing store (disk, network) as `ERR_IO`, keeping KonserveErrors as they are.
 * @param cause - the backing's error
 * @param key - the key involved, if any
 * @param path - the file path, if not in `cause.path`
 * @returns `cause` itself when it is a `KonserveError`, else an `ERR_IO` error carrying it
 */
export function ioError(cause: unknown, key?: unknown, path?: string): KonserveError {
  if (cause instanceof KonserveError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const p = path ?? (cause as { path?: unknown } | null)?.path;
  return new KonserveError('ERR_IO', `storage failed${key === undefined ? '' : ` for key ${describeKey(key)}`}: ${detail}`, {
    key,
    cause,
    ...(typeof p === 'string' ? { path: p } : {}),
  });
}

/** A lock that could not be taken within `waitedMs` (another process holds it). */
export function locked(path: string, waitedMs: number, key?: unknown): KonserveError {
  return new KonserveError('ERR_LOCKED', `could not take the lock ${path} within ${waitedMs} ms`, { key, path });
}

/**
 * A write refused because the cross-process lock it was made under is no longer this writer's
 * (it expired or was broken as stale while the writer stalled): nothing was written, and the
 * newer owner's work stands.
 * @param id - the blob id whose lock was lost
 * @param key - the key being written, if known
 * @returns an `ERR_LOCK_LOST` error
 */
export function lockLost(id: string, key?: unknown): KonserveError {
  return new KonserveError('ERR_LOCK_LOST', `the lock on ${id} was lost before the write committed; nothing was written`, { key, path: id });
}

/**
 * The error a fault-injecting wrapper (latency's `failures`, faults' `faultyBacking`) throws.
 * @param op - the backing operation that failed
 * @param id - the blob id, when the operation has one (set as `path`)
 * @param what - what was simulated
 * @returns a `KonserveError` with code `ERR_SIMULATED_FAILURE`
 */
export function simulatedFailure(op: string, id: string | undefined, what: 'failure' | 'crash' = 'failure'): KonserveError {
  return new KonserveError(
    'ERR_SIMULATED_FAILURE',
    `simulated ${what}: ${op}${id === undefined ? '' : ` of blob ${id}`}`,
    id === undefined ? {} : { path: id },
  );
}
