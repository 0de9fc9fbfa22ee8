/** Decides which operations fail, and builds the error they fail with. */
import { invalidArgument } from '@konserve-rx/core';
import type { FailureOptions } from './options';
import { BACKING_OPS, type BackingOp } from './ops';
import type { Random } from './random';

/**
 * Builds the failure decision of the latency backing.
 * @param failures - the rate and eligible operations, or `undefined` for none
 * @param random - a PRNG stream used only for failures
 * @returns a function telling whether one call of `op` fails; it draws only for eligible ops
 */
export function createFailureInjector(failures: FailureOptions | undefined, random: Random): (op: BackingOp) => boolean {
  if (failures === undefined) return () => false;
  const { rate } = failures;
  if (!(rate >= 0 && rate <= 1)) {
    throw invalidArgument(`failures.rate must be between 0 and 1, got ${String(rate)}`);
  }
  const eligible = new Set(failures.ops ?? BACKING_OPS);
  return (op) => eligible.has(op) && random() < rate;
}
