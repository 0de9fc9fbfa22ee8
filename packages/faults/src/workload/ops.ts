/**
 * The operations of a reference workload: plain data describing one Store call each, so a
 * workload can be generated from a seed (or by a property-testing library), printed, and replayed.
 */
import type { Key } from '@konserve-rx/core';

/** One Store call of a workload. Fields are plain data; `update` applies `old => (number ? old + by : by)`. */
export type WorkloadOp =
  | { readonly op: 'assoc'; readonly key: Key; readonly value: unknown }
  | { readonly op: 'assocIn'; readonly key: Key; readonly field: string; readonly value: unknown }
  | { readonly op: 'update'; readonly key: Key; readonly by: number }
  | { readonly op: 'dissoc'; readonly key: Key }
  | { readonly op: 'append'; readonly key: Key; readonly elem: unknown }
  | { readonly op: 'multiAssoc'; readonly entries: ReadonlyArray<readonly [Key, unknown]> }
  | { readonly op: 'multiDissoc'; readonly keys: readonly Key[] }
  /** `chunks` 0 hands the bytes over whole; n > 0 streams them as n chunks (an async iterable). */
  | { readonly op: 'bassoc'; readonly key: Key; readonly bytes: Uint8Array; readonly chunks: number }
  | { readonly op: 'get'; readonly key: Key }
  | { readonly op: 'getIn'; readonly key: Key; readonly field: string }
  | { readonly op: 'exists'; readonly key: Key }
  | { readonly op: 'log'; readonly key: Key }
  | { readonly op: 'bget'; readonly key: Key }
  | { readonly op: 'multiGet'; readonly keys: readonly Key[] }
  | { readonly op: 'keys' };

/** The name of a workload operation. */
export type WorkloadOpName = WorkloadOp['op'];

/** The operations that may change stored data. */
export const WRITE_OP_NAMES: readonly WorkloadOpName[] = ['assoc', 'assocIn', 'update', 'dissoc', 'append', 'multiAssoc', 'multiDissoc', 'bassoc'];

/** True when `op` may change stored data. */
export function isWriteOp(op: WorkloadOp): boolean {
  return WRITE_OP_NAMES.includes(op.op);
}

/** The top-level keys `op` touches (none for `keys`). */
export function keysOf(op: WorkloadOp): Key[] {
  switch (op.op) {
    case 'multiAssoc':
      return op.entries.map(([k]) => k);
    case 'multiDissoc':
    case 'multiGet':
      return [...op.keys];
    case 'keys':
      return [];
    default:
      return [op.key];
  }
}

/** A short, printable form of an op (for failure messages and replay). */
export function describeOp(op: WorkloadOp): string {
  return JSON.stringify(op, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v === undefined ? '<undefined>' : v));
}
