/** Option checks shared by the cache factories: bad options fail with `ERR_INVALID_ARGUMENT`. */
import { invalidArgument } from '@konserve-rx/core';

/** A positive integer option, or its default when absent. */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidArgument(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A non-negative number of milliseconds, or its default when absent. */
export function milliseconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(`${name} must be a non-negative number of milliseconds, got ${String(value)}`);
  }
  return value;
}

/** Fails with `ERR_INVALID_ARGUMENT` unless `backing` looks like a BackingStore. */
export function requireBacking(name: string, backing: unknown): void {
  const b = backing as { read?: unknown; write?: unknown; capabilities?: unknown } | null | undefined;
  if (typeof b?.read !== 'function' || typeof b.write !== 'function' || typeof b.capabilities !== 'object') {
    throw invalidArgument(`${name} must be a BackingStore`);
  }
}
