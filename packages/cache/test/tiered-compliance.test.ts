/**
 * The tiered backing presents a Store: the shared compliance suite for both policies, over memory,
 * over out-of-order storage, with an evicting front, and over files in a temp folder.
 */
import { afterAll } from '@jest/globals';
import { createStore, type BackingStore } from '@konserve-rx/core';
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { fileBacking } from '@konserve-rx/fs';
import { latencyBacking } from '@konserve-rx/latency';
import { memoryBacking } from '@konserve-rx/memory';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { of } from 'rxjs';
import { cachedBacking, connectTieredStore, tieredBacking, type TieredPolicy } from '@konserve-rx/cache';

const root = mkdtempSync(join(tmpdir(), 'konserve-tiered-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `store-${dirs++}`);
const jitter = (seed: number): BackingStore => latencyBacking(memoryBacking(), { latency: { distribution: 'uniform', min: 0, max: 3 }, seed });

for (const policy of ['write-through', 'write-behind'] as TieredPolicy[]) {
  runStoreCompliance({ name: `tiered ${policy}: memory over memory`, connect: () => connectTieredStore({ back: memoryBacking(), policy }) });
  runStoreCompliance({
    name: `tiered ${policy}: evicting front (2 entries) over memory`,
    connect: () => of(createStore(tieredBacking(cachedBacking(memoryBacking(), { maxEntries: 2 }), memoryBacking(), { policy }))),
  });
  runStoreCompliance({
    name: `tiered ${policy}: memory over out-of-order latency`,
    connect: () => connectTieredStore({ back: jitter(7), policy }),
    capabilities: { syncResults: false },
  });
  runStoreCompliance({
    name: `tiered ${policy}: memory over fs`,
    connect: () => connectTieredStore({ back: fileBacking({ path: freshDir(), fsync: false }), policy }),
  });
}
