/**
 * Out-of-order completion, made visible with the latency backend: every backing operation waits
 * a random 1-20 ms, so concurrent operations finish in a shuffled order. The operators still emit
 * results in input order (unless `ordered: false`), and writes of one key still apply in the
 * order they were issued, because the store serializes each key under a lock.
 *
 * Run:  node examples/dist/latency.js [seed]   (default seed 7; the same seed gives the same delays)
 */
import { filter, from, lastValueFrom, map, range, toArray } from 'rxjs';
import { assocTo, getFrom, updateWith, type Schema, type Store } from '@konserve-rx/core';
import { connectLatencyStore, type LatencyBacking } from '@konserve-rx/latency';
import { run, type ExampleOptions } from './support';

/** The example's store: some users, a counter written many times, and a hit counter. */
export type LatencySchema = Schema<{ [user: `user/${number}`]: string; counter: number; hits: number }>;

/** Options of the latency example. */
export interface LatencyExampleOptions extends ExampleOptions {
  /**
   * The seed of the sampled delays.
   * @default 7
   */
  readonly seed?: number | undefined;
}

/**
 * Runs the demonstration on a latency store over memory.
 * @param options - the seed and where to print
 * @returns a promise that resolves once the store is closed
 */
export async function main(options: LatencyExampleOptions = {}): Promise<void> {
  const say = options.out ?? console.log;
  const seed = options.seed ?? 7;
  // a seed that is no whole number would silently give other delays than the user asked for
  if (!Number.isSafeInteger(seed)) throw new Error(`the seed must be a whole number, got ${String(options.seed)}: node examples/dist/latency.js [seed]`);
  const latency = { distribution: 'uniform', min: 1, max: 20 } as const;
  const connected = await lastValueFrom(connectLatencyStore({ latency, seed }));
  // connectLatencyStore emits an untyped Store; this program declares what it keeps in it
  const store = connected as Store<LatencySchema>;
  const backing = store.backing as LatencyBacking;
  say(`latency store over memory: each backing operation waits 1-20 ms (uniform, seed ${seed})`);

  const users = Array.from({ length: 8 }, (_, i) => [`user/${i}`, `name ${i}`] as const);
  const keys = users.map(([key]) => key);
  const writeOrder = await lastValueFrom(
    from(users).pipe(
      assocTo(store, { concurrency: 8, ordered: false, withKey: true }),
      map(([k]) => k),
      toArray(),
    ),
  );
  say(`assocTo 8 writes at once, ordered: false -> completed as ${writeOrder.join(' ')}`);

  const readOrder = await lastValueFrom(
    from(keys).pipe(
      getFrom(store, { ordered: false, withKey: true }),
      map(([k]) => k),
      toArray(),
    ),
  );
  say(`getFrom ordered: false                   -> completed as ${readOrder.join(' ')}`);
  const inOrder = await lastValueFrom(from(keys).pipe(getFrom(store), toArray()));
  say(`getFrom ordered (the default)            -> ${inOrder.join(', ')}`);

  // ten writes of ONE key, all in flight at once: the store's per-key lock applies them in input
  // order, so the last one wins, and `changes` shows them committed 1, 2, ..., 10
  const applied = lastValueFrom(
    store.changes().pipe(
      filter((e) => e.key === 'counter'),
      map((e) => e.value),
      toArray(),
    ),
  );
  await lastValueFrom(
    range(1, 10).pipe(
      map((n) => ['counter', n] as const),
      assocTo(store, { concurrency: 10, ordered: false }),
    ),
  );
  const counter = await lastValueFrom(store.get('counter'));
  await lastValueFrom(
    range(0, 20).pipe(
      map(() => 'hits' as const),
      updateWith(store, (n) => (n ?? 0) + 1, { concurrency: 20 }),
    ),
  );
  const hits = await lastValueFrom(store.get('hits'));

  const summary = backing.summary();
  await lastValueFrom(store.close());
  say(`assocTo 10 writes of 'counter' at once   -> committed ${(await applied).join(', ')}; final value ${counter}`);
  say(`updateWith 20 increments of 'hits'       -> ${hits} (none lost)`);
  for (const op of ['read', 'write'] as const) {
    const s = summary[op];
    if (s) say(`backing ${op.padEnd(5)} x${s.count}: p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
  }
}

if (require.main === module) run(main, { seed: process.argv[2] === undefined ? 7 : Number(process.argv[2]) });
