/** Garbage collection: `sweep` and its types. */
export { DEFAULT_SWEEP_BATCH_SIZE, safePoint, sweep } from './sweep';
export { unreferencedWrites } from './guard';
export type { KeepKeys, SweepEvent, SweepOptions } from './types';
