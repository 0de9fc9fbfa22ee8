/**
 * The entry point of the shared compliance suite: one describe block per backend, a fresh store
 * per test, and one file per area of the Store contract. Every backend's test file calls this
 * first, then adds its backend-only tests below.
 */
import { badInputTests } from './bad-input';
import { basicTests } from './basic';
import { binaryTests } from './binary';
import { binarySourceTests } from './binary-sources';
import { clearCountTests } from './clear-count';
import { concurrencyTests } from './concurrency';
import { type ComplianceOptions, createContext } from './context';
import { resolveHarness } from './harness';
import { corruptionTests } from './corruption';
import { eventTests } from './events';
import { expiryTests } from './expiry';
import { isolationTests } from './isolation';
import { keysTests } from './keys';
import { keysDamagedTests } from './keys-damaged';
import { lifecycleTests } from './lifecycle';
import { lockingTests } from './locking';
import { logTests } from './logs';
import { metaTests } from './meta';
import { metaFunctionTests } from './meta-functions';
import { multiTests } from './multi';
import { pathTests } from './paths';
import { scopeTests } from './scopes';
import { capabilityTests } from './capabilities';
import { updateTests } from './update';
import { watchTests } from './watch';

/**
 * Registers the Store compliance suite for one backend with the test runner: jest's globals, or
 * the `harness` given in the options (another runner, a browser page).
 * @param options - the suite's name, a factory of fresh empty stores, and capability overrides
 * @returns nothing; registers a `describe` block named after `options.name`
 * @example
 * ```ts
 * import { runStoreCompliance } from '@konserve-rx/core/testing';
 * import { connectMemoryStore } from '@konserve-rx/memory';
 *
 * runStoreCompliance({ name: 'memory', connect: () => connectMemoryStore() });
 * ```
 */
export function runStoreCompliance(options: ComplianceOptions): void {
  const harness = resolveHarness(options.harness);
  harness.describe(`${options.name}: Store compliance`, () => {
    const ctx = createContext({ ...options, harness });
    basicTests(ctx);
    metaTests(ctx);
    metaFunctionTests(ctx);
    updateTests(ctx);
    pathTests(ctx);
    binaryTests(ctx);
    binarySourceTests(ctx);
    logTests(ctx);
    keysTests(ctx);
    multiTests(ctx);
    clearCountTests(ctx);
    scopeTests(ctx);
    lockingTests(ctx);
    concurrencyTests(ctx);
    badInputTests(ctx);
    corruptionTests(ctx);
    keysDamagedTests(ctx);
    eventTests(ctx);
    watchTests(ctx);
    expiryTests(ctx);
    isolationTests(ctx);
    capabilityTests(ctx);
    lifecycleTests(ctx);
  });
}
