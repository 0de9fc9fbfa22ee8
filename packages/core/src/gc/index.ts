/** Garbage collection: `sweep` and its types. */
export { DEFAULT_SWEEP_BATCH_SIZE, safePoint, sweep } from './sweep';
export type { KeepKeys, SweepEvent, SweepOptions } from './types';
