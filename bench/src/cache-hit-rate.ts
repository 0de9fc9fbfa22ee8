/**
 * Cache hit rate: an LRU `cachedBacking` in front of a memory backing, under a seeded Zipf-skewed
 * workload (90% `get`, 10% `assoc`), for several cache sizes and skews. Prints a markdown table and
 * writes bench/results/cache-hit-rate.json. Run: `node bench/dist/cache-hit-rate.js [ops]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createStore, type Store } from '@konserve-rx/core';
import { cachedBacking, type CachedBacking } from '@konserve-rx/cache';
import { mulberry32 } from '@konserve-rx/core';
import { memoryBacking } from '@konserve-rx/memory';
import { firstValueFrom } from 'rxjs';

/** How many distinct keys the store holds. */
const KEYS = 10_000;
/** Cache capacities (entries) to measure, as the share of keys they can hold. */
const CAPACITIES = [0.01, 0.05, 0.1, 0.25, 0.5];
/** Zipf exponents: 0.8 is mildly skewed, 1.2 strongly. */
const SKEWS = [0.8, 1.0, 1.2];
const WRITE_SHARE = 0.1;
const SEED = 42;

/** One measured configuration. */
interface Row {
  readonly capacity: number;
  readonly skew: number;
  readonly ops: number;
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
  readonly evictions: number;
  readonly opsPerSecond: number;
}

/** A sampler of ranks 0..n-1 with P(rank k) ∝ 1/(k+1)^s, by binary search over the CDF. */
function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** s;
  return () => {
    const u = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

async function measure(capacity: number, skew: number, ops: number): Promise<Row> {
  const backing: CachedBacking = cachedBacking(memoryBacking(), { maxEntries: capacity });
  const store: Store = createStore(backing);
  for (let i = 0; i < KEYS; i += 500) {
    await firstValueFrom(
      store.multiAssoc(Array.from({ length: Math.min(500, KEYS - i) }, (_, j) => [`key-${i + j}`, { n: i + j, pad: 'x'.repeat(100) }] as const)),
    );
  }
  const random = mulberry32(SEED);
  // ranks map to keys through a fixed shuffle, so popularity is unrelated to insertion order
  const order = Array.from({ length: KEYS }, (_, i) => i).sort((a, b) => ((a * 2654435761) % KEYS) - ((b * 2654435761) % KEYS));
  const rank = zipf(KEYS, skew, random);
  const step = async (): Promise<void> => {
    const key = `key-${order[rank()]}`;
    if (random() < WRITE_SHARE) await firstValueFrom(store.assoc(key, { n: -1, pad: 'y'.repeat(100) }));
    else await firstValueFrom(store.get(key));
  };
  for (let i = 0; i < ops / 10; i++) await step(); // warm-up, not counted
  backing.resetStats();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await step();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stats = backing.stats();
  return { capacity, skew, ops, hits: stats.hits, misses: stats.misses, hitRate: stats.hitRate, evictions: stats.evictions, opsPerSecond: ops / seconds };
}

async function main(): Promise<void> {
  const ops = Number(process.argv[2] ?? 30_000);
  const rows: Row[] = [];
  for (const skew of SKEWS) for (const share of CAPACITIES) rows.push(await measure(Math.round(KEYS * share), skew, ops));
  console.log(`LRU cache hit rate: ${KEYS} keys, ${ops} operations (${WRITE_SHARE * 100}% assoc), Zipf-skewed keys, seed ${SEED}\n`);
  console.log(`| capacity (entries) | ${SKEWS.map((s) => `zipf s=${s}`).join(' | ')} |`);
  console.log(`| ---: | ${SKEWS.map(() => '---:').join(' | ')} |`);
  for (const share of CAPACITIES) {
    const capacity = Math.round(KEYS * share);
    const cells = SKEWS.map((skew) => rows.find((r) => r.capacity === capacity && r.skew === skew)!).map((r) => `${(r.hitRate * 100).toFixed(1)}%`);
    console.log(`| ${capacity} (${share * 100}%) | ${cells.join(' | ')} |`);
  }
  const dir = resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'cache-hit-rate.json');
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: 'cache-hit-rate', keys: KEYS, ops, writeShare: WRITE_SHARE, seed: SEED, node: process.version, rows }, null, 2)}\n`,
  );
  console.log(`\nwrote ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
