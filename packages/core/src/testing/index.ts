/**
 * `@konserve-rx/core/testing`: the shared Store compliance suite and its helpers. This entry
 * imports no test runner: the suite registers with the runner's globals (jest, vitest with
 * globals) or with the `harness` passed in its options (any runner, a browser page).
 */
export { runStoreCompliance } from './run-store-compliance';
export { runCodecCompliance } from './codecs';
export type { CodecComplianceOptions } from './codecs';
export { CODEC_SAMPLE_VALUES } from './codec-values';
export { referenceBacking } from './reference-backing';
export type { ReferenceBackingOptions } from './reference-backing';
export type { ComplianceContext, ComplianceOptions } from './context';
export type { ComplianceHarness, DescribeLike, ExpectLike, ItLike, TestBody } from './harness';
export { eachIt } from './harness';
export { createContext } from './context';
export { closedTrait } from './lifecycle';
export { badInputTests } from './bad-input';
export { basicTests } from './basic';
export { binaryTests } from './binary';
export { concurrencyTests } from './concurrency';
export { corruptionTests } from './corruption';
export { eventTests } from './events';
export { expiryTests } from './expiry';
export { isolationTests } from './isolation';
export { keysTests } from './keys';
export { keysDamagedTests } from './keys-damaged';
export { lifecycleTests } from './lifecycle';
export { lockingTests } from './locking';
export { logTests } from './logs';
export { metaTests } from './meta';
export { metaFunctionTests } from './meta-functions';
export { multiTests } from './multi';
export { pathTests } from './paths';
export { scopeTests } from './scopes';
export { checkRegistryLifecycle } from './registry-lifecycle';
export { capabilityTests } from './capabilities';
export { updateTests } from './update';
export { watchTests } from './watch';
export type { Recording } from './util';
export { virtualClock } from './virtual-clock';
export type { VirtualClock } from './virtual-clock';
export { addedBlobId, collect, errorOf, eventually, failure, gate, listIds, record, run, seededBytes, seededRandom, settle, start } from './util';
