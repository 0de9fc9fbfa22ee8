/**
 * The cache's use of core's `MaybePromise` helpers (`attemptMaybe`, `mapMaybe`, `isThenable`),
 * under the names its code reads best with, and `rethrow`.
 */
export { attemptMaybe as attempt, isThenable, mapMaybe as chain } from '@konserve-rx/core';

/** Re-throws `e`: lets `attempt` callers fail after cleanup in an expression. */
export function rethrow(e: unknown): never {
  throw e;
}
