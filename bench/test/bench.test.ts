/**
 * Keeps the benchmark harness from rotting: runs every section with tiny sizes (the numbers mean
 * nothing) and checks the shape of the result, the report and the target verdicts. Never a
 * performance assertion: benchmarks run with `npm run bench`, not in `npm test`.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { connectFileStore } from '@konserve-rx/fs';
import { measureColdOpen } from '../src/cold-open';
import { HELD_STAGES, measureHeldPerKey } from '../src/held-per-key';
import { IN_FLIGHT_CONTENDERS, measureInFlightMemory } from '../src/in-flight-memory';
import { DOC, DOC_BYTES, documentBytes, keyOf, NESTED_DOC, slot } from '../src/fixture';
import { spawnContender } from '../src/isolated';
import { interleave, median, runPool } from '../src/harness';
import { markdown } from '../src/report';
import { runAll, SECTIONS } from '../src/run-all';
import { silentLog } from '../src/sections/log';
import { KONSERVE_POSTGRES, KONSERVE_POSTGRES_QUIET, RAW_POSTGRES, RAW_POSTGRES_PREPARED, runPostgres } from '../src/sections/postgres';
import { KONSERVE_REDIS, KONSERVE_REDIS_UNSHARED, RAW_REDIS, runRedis } from '../src/sections/redis';
import { redisUnavailable } from '@konserve-rx/redis/testing';
import type { Settings } from '../src/settings';

const dirs: string[] = [];
const workDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'konserve-rx-bench-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * Runs `fn` with the OS temp folder pointed at a fresh folder of this test (os.tmpdir() reads
 * TMPDIR on each call), so what the private servers leave behind is this test's alone to see,
 * whatever other test files do in the shared temp folder at the same time.
 */
async function inOwnTmpdir<T>(fn: (redisDirs: () => string[]) => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  const own = workDir();
  process.env.TMPDIR = own;
  try {
    return await fn(() => readdirSync(own).filter((f) => f.startsWith('konserve-rx-redis-')));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** Why the Redis section cannot run here, or undefined when redis-server runs. */
const noRedis = redisUnavailable();

const tiny = (dir: string): Settings => ({
  quick: true,
  workDir: dir,
  memory: { keys: 20, rounds: 1, budget: { ms: 1, calibrate: 10, minOps: 10, maxOps: 20 } },
  durable: { keys: 10, rounds: 1, inFlight: 4, budget: { ms: 1, calibrate: 4, minOps: 4, maxOps: 8 } },
  scale: {
    sizes: [10, 20],
    rounds: 1,
    budget: { ms: 1, calibrate: 10, minOps: 10, maxOps: 20 },
    fsBudget: { ms: 1, calibrate: 4, minOps: 4, maxOps: 8 },
    listRounds: 1,
    coldRounds: 0,
  },
  batch: { entries: 5, rounds: 1 },
  redis: { keys: 10, rounds: 1, inFlight: 4, budget: { ms: 1, calibrate: 4, minOps: 4, maxOps: 8 } },
  postgres: { keys: 10, rounds: 1, inFlight: 4, budget: { ms: 1, calibrate: 4, minOps: 4, maxOps: 8 } },
});

describe('bench fixture and harness', () => {
  it('stores a 30-field document of about 1 KB and spreads operations over every key', () => {
    expect(Object.keys(DOC)).toHaveLength(30);
    expect(DOC_BYTES.length).toBeGreaterThan(900);
    expect(DOC_BYTES.length).toBeLessThan(1200);
    expect(new Set(Array.from({ length: 1000 }, (_, i) => slot(i, 1000))).size).toBe(1000);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('has a nested document of about 600 bytes with numbers, booleans, arrays and nested objects', () => {
    expect(documentBytes('nested')).toBeGreaterThan(500);
    expect(documentBytes('nested')).toBeLessThan(700);
    const leaves = JSON.stringify(NESTED_DOC);
    expect(leaves).toMatch(/:true/);
    expect(leaves).toMatch(/:-?\d+\.\d+/);
    expect(leaves).toMatch(/:\[\{/);
    expect(leaves).toMatch(/:\{[^{}[\]]*:\{/);
  });

  it('runs a contender in a process of its own and times it there (needs npm run build)', async () => {
    const c = await spawnContender({ section: 'memory', name: 'limit: Map + of() + cbor', keys: 10, doc: 'nested' });
    try {
      const t = await c.time('get', 50, 1);
      expect(t.wallMs).toBeGreaterThan(0);
      expect(t.cpuMs).toBeGreaterThanOrEqual(0);
      const m = await interleave([c.caseOf('get', 'get', 1), c.caseOf('assoc', 'put', 1)], 2, { ms: 1, calibrate: 5, minOps: 5, maxOps: 10 }, undefined, 'cpu');
      expect(m.map((x) => x.rounds.length)).toEqual([2, 2]);
    } finally {
      await c.close();
    }
    await expect(spawnContender({ section: 'durable', kind: 'no such store', dir: workDir(), keys: 1, fsync: false, doc: 'flat' })).rejects.toThrow(
      'no durable contender named no such store',
    );
  });

  it('runs a pool of synchronous and asynchronous operations to completion, with the cap', async () => {
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(50, 4, (i, done) => {
      seen.push(i);
      if (i % 2 === 0) return done();
      active++;
      peak = Math.max(peak, active);
      setImmediate(() => {
        active--;
        done();
      });
    });
    expect(seen).toHaveLength(50);
    expect(peak).toBeLessThanOrEqual(4);
    await expect(runPool(3, 1, (i, done) => done(i === 1 ? new Error('boom') : undefined))).rejects.toThrow('boom');
  });

  it('measures every case once per round, on both clocks', async () => {
    const m = await interleave([{ id: 'a', inFlight: 1, start: (_i, done) => done() }], 3, { ms: 1, calibrate: 5, minOps: 5, maxOps: 10 }, undefined, 'cpu');
    expect(m[0]!.rounds).toHaveLength(3);
    expect(m[0]!.otherRounds).toHaveLength(3);
    expect(m[0]!.clock).toBe('cpu');
  });
});

describe('bench sections (tiny sizes)', () => {
  it(`runs every section and reports every target${noRedis ? ` (Redis rows skipped: ${noRedis})` : ''}`, async () => {
    const { result, redisLeft } = await inOwnTmpdir(async (redisDirs) => ({
      result: await runAll(tiny(workDir()), new Set(SECTIONS), silentLog),
      redisLeft: redisDirs(),
    }));
    expect(result.memory!.documents.map((d) => d.doc)).toEqual(['flat', 'nested']);
    for (const d of result.memory!.documents) expect(d.rows.map((r) => r.name)).toContain('konserve-rx memory');
    expect(result.durable!.documents.map((d) => d.doc)).toEqual(['flat', 'nested']);
    for (const d of result.durable!.documents) {
      expect(d.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['konserve-rx fs', 'classic-level', 'lmdb', 'unstorage fs']));
      expect(d.rows.find((r) => r.name === 'unstorage fs')!.writeSyncSeq).toBeUndefined();
    }
    expect(result.scale!.listings.map((l) => l.keys)).toEqual([10, 10, 20, 20]);
    expect(result.batch!.rows.map((r) => r.fsync)).toEqual([true, false]);
    expect(result.verdicts.length).toBeGreaterThanOrEqual(14);
    for (const v of result.verdicts) expect(Number.isFinite(v.value)).toBe(true);
    const md = markdown(result);
    for (const heading of ['## Memory', '## Durable', '## Scale', '## Batch', '## Redis', '## PostgreSQL', '## Targets']) expect(md).toContain(heading);
    // postgres: measured on a private cluster, or skipped with the reason
    const pg = result.postgres!;
    if (pg.skipped === undefined)
      expect(pg.rows.map((row) => row.name)).toEqual([KONSERVE_POSTGRES, RAW_POSTGRES, RAW_POSTGRES_PREPARED, KONSERVE_POSTGRES_QUIET]);
    else expect(md).toContain('PostgreSQL rows skipped: ');
    // redis: measured on a private server that is gone afterwards, or skipped with the reason
    const r = result.redis!;
    if (noRedis !== undefined) {
      expect(r.skipped).toBe(noRedis);
      expect(md).toContain('Redis rows skipped: ');
    } else {
      expect(r.skipped).toBeUndefined();
      expect(r.server).toMatch(/^redis-server /);
      expect(r.rows.map((row) => `${row.name}/${row.appendfsync}`)).toEqual([
        `${KONSERVE_REDIS}/everysec`,
        `${KONSERVE_REDIS_UNSHARED}/everysec`,
        `${RAW_REDIS}/everysec`,
        `${KONSERVE_REDIS}/always`,
        `${KONSERVE_REDIS_UNSHARED}/always`,
        `${RAW_REDIS}/always`,
      ]);
      for (const row of r.rows) for (const m of [row.writeSeq, row.writeMany, row.readSeq, row.readMany]) expect(m.median).toBeGreaterThan(0);
      expect(md).toContain('| *konserve-rx redis / raw* | always |');
      expect(md).toContain('| *konserve-rx redis, shareChanges: false / raw* | always |');
      expect(redisLeft).toEqual([]);
    }
    // generous: it starts private Redis and PostgreSQL servers, slow on a loaded machine
  }, 240_000);

  (noRedis === undefined ? it : it.skip)(
    'stops the private redis-server and removes its folder when a measurement fails',
    async () => {
      // the first progress report (after the first case's calibration, mid-measurement) throws
      const failing = {
        progress: () => {
          throw new Error('injected failure');
        },
        note: () => undefined,
      };
      const left = await inOwnTmpdir(async (redisDirs) => {
        await expect(runRedis(tiny(workDir()), failing)).rejects.toThrow('injected failure');
        return redisDirs();
      });
      expect(left).toEqual([]);
    },
    120_000,
  );

  it("reports the spread of each row over repeated runs, and the limit contenders' largest as a target", async () => {
    const result = await runAll(tiny(workDir()), new Set(['memory']), silentLog, 2);
    expect(result.runs).toBe(2);
    const limit = result.spread!.filter((r) => r.contender === 'limit: Map + of() + cbor');
    expect(limit.map((r) => `${r.doc}/${r.op}`)).toEqual(['flat/get', 'flat/assoc', 'nested/get', 'nested/assoc']);
    for (const r of result.spread!) {
      expect(r.medians).toHaveLength(2);
      expect(r.spread).toBeCloseTo(Math.max(...r.medians) / Math.min(...r.medians) - 1);
    }
    expect(result.verdicts.find((v) => v.target.startsWith('memory: every limit contender'))?.unit).toBe('%');
    expect(markdown(result)).toContain('## Spread over 2 runs');
  }, 60_000);

  it('skips the postgres section with the reason when there are no server binaries', async () => {
    const saved = process.env.PG_BIN;
    process.env.PG_BIN = join(tmpdir(), 'no-such-postgres-bin');
    try {
      const notes: string[] = [];
      const r = await runPostgres(tiny(workDir()), { progress: () => undefined, note: (t) => notes.push(t) });
      expect(r.skipped).toContain('no-such-postgres-bin');
      expect(r.rows).toEqual([]);
      expect(notes).toEqual([expect.stringContaining('PostgreSQL rows skipped')]);
      expect(markdown({ ...(await runAll(tiny(workDir()), new Set(), silentLog)), postgres: r })).toContain('PostgreSQL rows skipped: ');
    } finally {
      if (saved === undefined) delete process.env.PG_BIN;
      else process.env.PG_BIN = saved;
    }
  });

  it('skips the redis section with the reason when there is no redis-server', async () => {
    const saved = process.env.REDIS_SERVER;
    // REDIS_SERVER is read when the module loads: load a fresh copy with a binary that does not exist
    process.env.REDIS_SERVER = join(tmpdir(), 'no-such-redis-server');
    try {
      let runFresh!: typeof runRedis;
      jest.isolateModules(() => {
        // a fresh copy of the module inside jest's isolated registry: only require can do that
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        runFresh = (require('../src/sections/redis') as typeof import('../src/sections/redis')).runRedis;
      });
      const notes: string[] = [];
      const r = await runFresh(tiny(workDir()), { progress: () => undefined, note: (t) => notes.push(t) });
      expect(r.skipped).toContain('no-such-redis-server');
      expect(r.rows).toEqual([]);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Redis rows skipped');
      expect(markdown({ ...(await runAll(tiny(workDir()), new Set(), silentLog)), redis: r })).toContain('Redis rows skipped: ');
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER;
      else process.env.REDIS_SERVER = saved;
    }
  });

  it('measures the heap each contender holds per operation in flight, each measurement in a child (needs npm run build)', () => {
    const rows = measureInFlightMemory(100, 1);
    expect(rows.map((r) => r.contender)).toEqual([...IN_FLIGHT_CONTENDERS]);
    for (const row of rows) {
      expect(row.rounds).toHaveLength(1);
      expect(Number.isFinite(row.bytesPerOp)).toBe(true);
    }
  });

  it('measures what a memory store keeps per key after writes and read passes, each in a child (needs npm run build)', () => {
    const rows = measureHeldPerKey(200, 1);
    expect(rows.map((r) => r.stage)).toEqual([...HELD_STAGES]);
    for (const row of rows) {
      expect(row.heapRounds).toHaveLength(1);
      expect(Number.isFinite(row.heapPerKey)).toBe(true);
      // the blobs' bytes: at least the 100-byte payload of each key
      expect(row.buffersPerKey).toBeGreaterThan(100);
    }
  });

  it('measures a cold open, counting the folder entries it lists', async () => {
    const path = join(workDir(), 'store');
    const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
    await firstValueFrom(store.multiAssoc(Array.from({ length: 30 }, (_, i) => [keyOf(i), DOC] as const)));
    await firstValueFrom(store.close());
    const cold = await measureColdOpen(path, keyOf(29));
    expect(cold.found).toBe(true);
    expect(cold.connectMs).toBeGreaterThanOrEqual(0);
    expect(cold.foldersListed).toBeGreaterThanOrEqual(0);
  });
});
