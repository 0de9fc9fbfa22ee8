/**
 * Scopes side by side, in one process with rounds alternating (the machine is shared):
 * - `get`/`assoc` on a store and on a scope of it (memory; CPU clock): what a scope costs per call;
 * - `count()` and `keys()` of a small scope inside a large store, with the backing's `listPrefix`
 *   and without it (core then lists every id and filters): memory and fs.
 * Prints a markdown table and writes JSON. Run: `node bench/dist/scopes.js [--out dir] [--quick]`.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferCount, concatMap, firstValueFrom, from, lastValueFrom, range } from 'rxjs';
import { createStore, type BackingStore, type Store } from '@konserve-rx/core';
import { fileBacking } from '@konserve-rx/fs';
import { memoryBacking } from '@konserve-rx/memory';
import { interleave, median, observed, timeRounds, type Measured } from './harness';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(__dirname, '..', 'results');
const SCOPE_KEYS = 100;
const OTHER_KEYS = { memory: quick ? 2_000 : 100_000, fs: quick ? 500 : 10_000 };
const ROUNDS = quick ? 3 : 15;

/** The backing without `listPrefix`: core falls back to listing every id. */
function withoutListPrefix(backing: BackingStore): BackingStore {
  const { listPrefix: _hidden, ...rest } = backing;
  return rest as BackingStore;
}

async function fill(store: Store, prefix: string, n: number): Promise<void> {
  await lastValueFrom(
    range(0, n).pipe(
      bufferCount(500),
      concatMap((batch) => store.multiAssoc(batch.map((i) => [`${prefix}${i}`, { i }] as const))),
    ),
    { defaultValue: undefined },
  );
}

async function perCall(): Promise<Measured[]> {
  const store = createStore(memoryBacking());
  const scope = store.scope('tenant').scope('eu');
  for (const s of [store, scope]) await fill(s, 'k', 1000);
  const key = (i: number): string => `k${i % 1000}`;
  return interleave(
    [
      { id: 'memory/get/store', inFlight: 1, start: observed((i) => store.get(key(i))) },
      { id: 'memory/get/scope', inFlight: 1, start: observed((i) => scope.get(key(i))) },
      { id: 'memory/assoc/store', inFlight: 1, start: observed((i) => store.assoc(key(i), i)) },
      { id: 'memory/assoc/scope', inFlight: 1, start: observed((i) => scope.assoc(key(i), i)) },
    ],
    ROUNDS,
    { ms: quick ? 50 : 300, calibrate: 2000, minOps: 1000, maxOps: 2_000_000 },
    undefined,
    'cpu',
  );
}

async function listings(name: 'memory' | 'fs', backing: BackingStore): Promise<Map<string, number[]>> {
  const withPrefix = createStore(backing);
  await fill(withPrefix, 'other', OTHER_KEYS[name]);
  await fill(withPrefix.scope('small'), 's', SCOPE_KEYS);
  const stores = { listPrefix: withPrefix.scope('small'), filter: createStore(withoutListPrefix(backing)).scope('small') };
  const tasks = Object.entries(stores).flatMap(([how, s]) => [
    { id: `${name}/count/${how}`, run: async () => void (await firstValueFrom(s.count())) },
    { id: `${name}/keys/${how}`, run: async () => void (await lastValueFrom(from(s.keys()).pipe(bufferCount(1_000_000)), { defaultValue: [] })) },
  ]);
  return timeRounds(tasks, ROUNDS);
}

async function main(): Promise<void> {
  const calls = await perCall();
  const memory = await listings('memory', memoryBacking());
  const dir = await mkdtemp(join(tmpdir(), 'krx-scopes-'));
  let fs: Map<string, number[]>;
  try {
    fs = await listings('fs', fileBacking({ path: join(dir, 'store'), fsync: false }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const lines = [
    `## Per call (memory, ops/s of CPU time, median of ${ROUNDS} alternating rounds)`,
    '',
    '| operation | store | scope | scope / store |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const op of ['get', 'assoc']) {
    const [a, b] = [calls.find((m) => m.id === `memory/${op}/store`)!, calls.find((m) => m.id === `memory/${op}/scope`)!];
    lines.push(`| ${op} | ${Math.round(a.median)} | ${Math.round(b.median)} | ${(b.median / a.median).toFixed(3)} |`);
  }
  lines.push(
    '',
    `## Listing a scope of ${SCOPE_KEYS} keys (ms per call, median of ${ROUNDS} alternating rounds)`,
    '',
    '| backend | other keys | call | listPrefix | filter by id | filter / listPrefix |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
  );
  const listed: Record<string, number> = {};
  for (const [name, times] of [
    ['memory', memory],
    ['fs', fs],
  ] as const) {
    for (const call of ['count', 'keys']) {
      const a = median(times.get(`${name}/${call}/listPrefix`)!);
      const b = median(times.get(`${name}/${call}/filter`)!);
      listed[`${name}/${call}/listPrefix`] = a;
      listed[`${name}/${call}/filter`] = b;
      lines.push(`| ${name} | ${OTHER_KEYS[name]} | ${call}() | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(1)} |`);
    }
  }
  console.log(lines.join('\n'));
  await mkdir(outDir, { recursive: true });
  const result = { quick, rounds: ROUNDS, scopeKeys: SCOPE_KEYS, otherKeys: OTHER_KEYS, perCall: calls, listingMs: listed };
  await writeFile(join(outDir, 'scopes.json'), JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
