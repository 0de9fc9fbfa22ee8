/** The names of the backing operations the latency backing delays, grouped by direction. */
import type { BackingOp } from '@konserve-rx/core';

/** A `BackingStore` method the latency backing delays (and may fail). */
export type { BackingOp };

/** The operations that only read: they use the `reads` latency when one is given. */
export const READ_OPS: readonly BackingOp[] = ['read', 'readHead', 'open', 'has', 'list', 'listPrefix'];

/** The operations that change or guard stored blobs: they use the `writes` latency when one is given. */
export const WRITE_OPS: readonly BackingOp[] = ['write', 'writeStream', 'writeBatch', 'delete', 'lock'];

/** Every {@link BackingOp}, reads first. */
export const BACKING_OPS: readonly BackingOp[] = [...READ_OPS, ...WRITE_OPS];

/** True when `op` is one of {@link READ_OPS}. */
export function isReadOp(op: BackingOp): boolean {
  return READ_OPS.includes(op);
}
