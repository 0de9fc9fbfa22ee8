/** Errors of the Redis backing: clear causes for `ERR_IO`, and `ERR_LOCKED` for lock timeouts. */
import { KonserveError, isKonserveError } from '@konserve-rx/core';
import type { Redis } from 'ioredis';

/**
 * Wraps a failed Redis call so the `ERR_IO` core makes of it says what happened and in which
 * connection state (e.g. "reconnecting" during an outage); the client's error is kept as cause.
 */
export function redisFailure(e: unknown, what: string, client: Redis): unknown {
  if (isKonserveError(e)) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const state = client.status === 'ready' ? '' : ': not connected to the server';
  return new Error(`redis ${what} failed${state} (connection ${client.status}): ${detail}`, { cause: e });
}

/** A lock another process held for longer than `lockTimeout`. */
export function lockTimeout(id: string, ms: number): KonserveError {
  return new KonserveError('ERR_LOCKED', `redis lock on blob ${id} still held by another writer after ${ms} ms`, { path: id });
}
