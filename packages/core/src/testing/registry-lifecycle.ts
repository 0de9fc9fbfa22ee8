/**
 * The lifecycle script a registered backend's hooks must pass: `storeExists`, `connectStore` in
 * its `open` and `create` modes, `releaseStore` and `deleteStore`, driven by a config alone.
 */
import { connectStore, deleteStore, releaseStore, storeExists, type StoreConfig } from '../registry';
import { type ComplianceHarness, resolveHarness } from './harness';
import { collect, errorOf, run } from './util';

/**
 * Runs the lifecycle on a store that does not exist yet: deleting it completes, `open` fails and
 * `storeExists` is false; `create` makes it (a value and a log are written); a second `create`
 * fails; `open` finds the value; `deleteStore` removes it, after which `storeExists` is false and
 * `open` fails again; then the default mode (open-or-create) makes it anew, and reconnects to the
 * same data; a last `deleteStore` leaves nothing. Every refusal is `ERR_INVALID_ARGUMENT`. Call it inside a test; it asserts with the harness's `expect`.
 * @param config - the config of a fresh store (nothing at its place yet)
 * @param harness - the test functions (only `expect` is used); default: the runner's globals
 * @returns a promise that resolves when the script passed
 */
export async function checkRegistryLifecycle(config: StoreConfig, harness?: ComplianceHarness): Promise<void> {
  const { expect } = resolveHarness(harness);
  expect(await collect(deleteStore(config))).toEqual([undefined]);
  expect(await run(storeExists(config))).toBe(false);
  expect((await errorOf(connectStore(config, { mode: 'open' }))).code).toBe('ERR_INVALID_ARGUMENT');
  const created = await run(connectStore(config, { mode: 'create' }));
  await run(created.assoc('k', { v: 1 }));
  await run(created.append('log', 1));
  await run(releaseStore(created));
  expect(await run(storeExists(config))).toBe(true);
  expect((await errorOf(connectStore(config, { mode: 'create' }))).code).toBe('ERR_INVALID_ARGUMENT');
  const opened = await run(connectStore(config, { mode: 'open' }));
  expect(await run(opened.get('k'))).toEqual({ v: 1 });
  await run(releaseStore(opened));
  expect(await collect(deleteStore(config))).toEqual([undefined]);
  expect(await run(storeExists(config))).toBe(false);
  expect((await errorOf(connectStore(config, { mode: 'open' }))).code).toBe('ERR_INVALID_ARGUMENT');
  const fresh = await run(connectStore(config));
  await run(fresh.assoc('shared', 42));
  await run(releaseStore(fresh));
  const again = await run(connectStore(config));
  expect(await run(again.get('shared'))).toBe(42);
  await run(releaseStore(again));
  expect(await collect(deleteStore(config))).toEqual([undefined]);
  expect(await run(storeExists(config))).toBe(false);
}
