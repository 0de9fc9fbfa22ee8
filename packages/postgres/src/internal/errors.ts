/** Errors of the PostgreSQL backing: clear causes for the `ERR_IO` core makes of a failed query. */
import { isKonserveError } from '@konserve-rx/core';

/**
 * Wraps a failed query so the `ERR_IO` core makes of it says what happened: the server answered
 * with an error (a SQLSTATE), or there is no working connection (refused, dropped, timed out).
 * The driver's error is kept as cause.
 */
export function pgFailure(e: unknown, what: string): unknown {
  if (isKonserveError(e)) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const why = answered(e) ? `the server answered with an error (SQLSTATE ${(e as { code: string }).code})` : 'no working connection to the server';
  return new Error(`postgres ${what} failed: ${why}: ${detail}`, { cause: e });
}

/** True when `e` is the server's answer (it carries a five-character SQLSTATE), not a connection failure. */
export function answered(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  // class 57P (operator intervention: shutdown, terminated backend) means the connection is gone
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('57P') && code !== '08006';
}
