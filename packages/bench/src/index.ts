/** @konserve-rx/bench: the konserve-rx-bench CLI, and the measuring pieces it shares with the repository's benchmarks. */
export { runPool } from './pool';
export type { StartTask } from './pool';
export { createProgress, renderLine } from './progress';
export type { Progress, ProgressOptions, ProgressStream } from './progress';
export { median } from './median';
