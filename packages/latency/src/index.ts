/**
 * @konserve-rx/latency: a backing that answers slowly and out of order, like a remote store,
 * with timing statistics. The `konserve-rx-bench` CLI that measures it is `@konserve-rx/bench`.
 */
import './register';
export { latencyBacking } from './latency-backing';
export type { LatencyBacking } from './latency-backing';
export { connectLatencyStore } from './connect';
export { LATENCY_BACKEND_NAME } from './name';
export { BACKING_OPS, READ_OPS, WRITE_OPS } from './ops';
export type { BackingOp } from './ops';
export { DEFAULT_LATENCY } from './resolve-latency';
export { createSampler } from './distribution';
export type { LatencySampler } from './distribution';
export { standardNormal } from './random';
export type { Random } from './random';
export { percentile, summarize } from './percentiles';
export type { DistributionSummary } from './percentiles';
export type { LatencySummary, OpSummary, OpTiming } from './timing';
export type {
  ExponentialLatency,
  FailureOptions,
  FixedLatency,
  LatencyBackingOptions,
  LatencyDistribution,
  LatencyFunction,
  LatencySpec,
  LatencyStoreOptions,
  LognormalParams,
  LognormalPercentiles,
  NormalLatency,
  UniformLatency,
} from './options';
