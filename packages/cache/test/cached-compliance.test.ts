/**
 * The cached backing presents a Store: the shared compliance suite, once, over its hardest
 * configuration: a cache of 2 entries and 4 KiB that evicts all the time (correctness must not
 * depend on what happens to be cached) over a backing that completes calls out of order
 * (read-through population must not race writes). What the default configuration adds, hits
 * and synchronous answers over memory, is tested in cached-backing.test.ts.
 */
import { createStore } from '@konserve-rx/core';
import { referenceBacking, runStoreCompliance } from '@konserve-rx/core/testing';
import { of } from 'rxjs';
import { cachedBacking } from '@konserve-rx/cache';

let seed = 0;
runStoreCompliance({
  name: 'cached (2 entries, 4 KiB) over out-of-order storage',
  connect: () => of(createStore(cachedBacking(referenceBacking({ delays: { max: 3, seed: ++seed } }), { maxEntries: 2, maxBytes: 4096 }))),
  capabilities: { syncResults: false },
});
