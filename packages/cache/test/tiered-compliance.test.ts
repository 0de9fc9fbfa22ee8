/**
 * The tiered backing presents a Store: the shared compliance suite, once, over its hardest
 * configuration: write-behind (writes complete from the front and reach the back later), an
 * evicting front of 2 entries (reads fall through to the back while writes are pending), and a
 * back that completes calls out of order. The other policy and layers are covered by focused
 * tests in tiered-backing.test.ts, including one workload run under both policies.
 */
import { createStore } from '@konserve-rx/core';
import { referenceBacking, runStoreCompliance } from '@konserve-rx/core/testing';
import { memoryBacking } from '@konserve-rx/memory';
import { of } from 'rxjs';
import { cachedBacking, tieredBacking } from '@konserve-rx/cache';

let seed = 0;
runStoreCompliance({
  name: 'tiered write-behind: evicting front (2 entries) over out-of-order storage',
  connect: () =>
    of(
      createStore(
        tieredBacking(cachedBacking(memoryBacking(), { maxEntries: 2 }), referenceBacking({ delays: { max: 3, seed: ++seed } }), { policy: 'write-behind' }),
      ),
    ),
  capabilities: { syncResults: false },
});
