/// <reference lib="dom" />
/**
 * IndexedDB's event-based requests as promises, and its failures as KonserveErrors. A write
 * counts as done when its transaction completes (committed), never when its request succeeds.
 */
import { ioError, type KonserveError } from '@konserve-rx/core';

/** The one object store of a konserve-rx database: blob id -> bytes. */
export const BLOBS = 'blobs';

/**
 * Resolves with a request's result once it succeeds.
 * @param req - a pending request
 * @returns its result; rejects with the request's error
 */
export function result<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * Resolves once a transaction has committed.
 * @param tx - a transaction whose requests are already made
 * @returns a promise that rejects with the transaction's error when it aborts (nothing of it applied)
 */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // an aborted transaction reports its cause on tx.error (null when aborted on purpose)
    tx.onabort = () => reject(tx.error ?? new Error('the IndexedDB transaction was aborted'));
  });
}

/**
 * Maps an IndexedDB failure to a KonserveError: quota exhaustion and a connection closed under the
 * store get messages that say what happened; anything else is `ERR_IO` with the DOMException as cause.
 * @param e - what a request or transaction failed with
 * @param db - the database name, for the message
 * @returns an `ERR_IO` error whose cause is `e`
 */
export function idbError(e: unknown, db: string): KonserveError {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') {
    return ioError(withMessage(e, `the storage quota of IndexedDB database "${db}" is exhausted (QuotaExceededError); nothing of this write was stored`));
  }
  if (name === 'InvalidStateError') {
    return ioError(withMessage(e, `IndexedDB database "${db}" is closed: another tab deleted or upgraded it, or the browser closed it; connect again`));
  }
  return ioError(e);
}

/** An Error with `message` whose cause is the original failure (so `err.cause.cause` is the DOMException). */
function withMessage(cause: unknown, message: string): Error {
  return new Error(message, { cause });
}
