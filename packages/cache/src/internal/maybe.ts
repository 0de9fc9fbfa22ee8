/** `rethrow`: lets core's `attemptMaybe` callers fail after cleanup, in an expression. */

/** Re-throws `e`. */
export function rethrow(e: unknown): never {
  throw e;
}
