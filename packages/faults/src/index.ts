/**
 * `@konserve-rx/faults`: fault injection for konserve-rx. `faultyBacking` wraps any backing and,
 * on a seed, fails calls, crashes writes midway and flips bits on reads; the workload tools run
 * seeded or generated operations against a Store and check every result against a reference
 * model, so each backend can prove that nothing acknowledged is lost and nothing damaged is
 * returned as data.
 */
import './register';

export { connectFaultyStore, FAULTY_BACKEND_NAME, FAULTY_STORE_OPTIONS } from './connect';
export type { FaultyStoreOptions } from './connect';
export { faultyBacking } from './faulty-backing';
export type { FaultyBacking } from './faulty-backing';
export { CRASH_OPS, FAULT_OPS } from './options';
export type { CrashApplied, FaultOp, FaultRecord, FaultyBackingOptions } from './options';
export { randomValue, randomWorkload, DEFAULT_KEYS, DEFAULT_WEIGHTS } from './workload/generate';
export type { RandomWorkloadOptions } from './workload/generate';
export { describeOp, isWriteOp, keysOf, WRITE_OP_NAMES } from './workload/ops';
export type { WorkloadOp, WorkloadOpName } from './workload/ops';
export { bump, createModel, valueOf } from './workload/model';
export type { Expected, KeyState, Prediction, StateChange, StoreModel } from './workload/model';
export { codeOf, opCall, runOp } from './workload/run-op';
export type { Outcome } from './workload/run-op';
export { observeKey, sameState } from './workload/observe';
export { runConcurrently, runWorkload, verifyAll } from './workload/check';
export type { WorkloadOptions, WorkloadReport, WorkloadStep } from './workload/check';
export { ANY, keyText, sameValue, show } from './workload/equal';
export { unexplainedFlip } from './workload/flips';
export { workloadArbitraries } from './workload/arbitraries';
export type { FastCheck, WorkloadArbitraries } from './workload/arbitraries';
