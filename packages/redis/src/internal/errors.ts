/** Errors of the Redis backing: clear causes for `ERR_IO` (lock timeouts use core's `locked`). */
import { isKonserveError } from '@konserve-rx/core';
import { ReplyError, type Redis } from 'ioredis';
import { NoReply } from './watchdog';

/**
 * Wraps a failed Redis call so the `ERR_IO` core makes of it says what happened: the server
 * answered with an error, or stopped answering (`commandTimeout`), or there is no working
 * connection (with its state, e.g. "reconnecting" during an outage). The client's error is kept
 * as cause.
 */
export function redisFailure(e: unknown, what: string, client: Redis): unknown {
  if (isKonserveError(e)) return e;
  const detail = e instanceof Error ? e.message : String(e);
  // anything else is the connection's failure (refused, dropped, not writable)
  const why =
    e instanceof ReplyError
      ? 'the server answered with an error'
      : e instanceof NoReply
        ? 'the server stopped answering'
        : `not connected to the server (connection ${client.status})`;
  return new Error(`redis ${what} failed: ${why}: ${detail}`, { cause: e });
}
