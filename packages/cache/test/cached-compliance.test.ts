/** The cached backing presents a Store: the shared compliance suite over several configurations. */
import { createStore } from '@konserve-rx/core';
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { latencyBacking } from '@konserve-rx/latency';
import { memoryBacking } from '@konserve-rx/memory';
import { of } from 'rxjs';
import { cachedBacking, connectCachedStore } from '@konserve-rx/cache';

runStoreCompliance({ name: 'cached over memory', connect: () => connectCachedStore({ inner: memoryBacking() }) });

// a tiny cache evicts all the time: correctness must not depend on what happens to be cached
runStoreCompliance({
  name: 'cached over memory (2 entries, 4 KiB)',
  connect: () => of(createStore(cachedBacking(memoryBacking(), { maxEntries: 2, maxBytes: 4096 }))),
});

// out-of-order completion below the cache: read-through population must not race writes
for (const seed of [1, 2]) {
  runStoreCompliance({
    name: `cached over latency (seed ${seed})`,
    connect: () =>
      of(createStore(cachedBacking(latencyBacking(memoryBacking(), { latency: { distribution: 'uniform', min: 0, max: 3 }, seed }), { maxEntries: 64 }))),
    capabilities: { syncResults: false },
  });
}
