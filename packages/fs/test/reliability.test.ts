/**
 * Reliability of the file backend under faults and full or read-only disks (see
 * docs/reliability.md). The fault workloads run `faultyBacking(fileBacking)` with fsync off in
 * a temp folder: streams are cut midway, batches are applied in part (the file backing's batches
 * are not atomic), acknowledgements are lost after the rename, and bits flip on reads, including
 * positional reads of opened blobs. The ground truth is a *second* file backing over the same
 * folder, so every acknowledged write is proven to be on disk, not in this process's memory.
 * Full and read-only disks are real where the machine lets us mount a tiny tmpfs (root with
 * mount rights), and simulated by an error-throwing wrapper everywhere.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createStore, type KonserveError, type Store } from '@konserve-rx/core';
import { faultyBacking, randomWorkload, runWorkload, type FaultyBackingOptions } from '@konserve-rx/faults';
import { connectFileStore, fileBacking } from '@konserve-rx/fs';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const SEEDS = Array.from({ length: 24 }, (_, i) => 500 + i);
const RATES: Omit<FaultyBackingOptions, 'seed'> = {
  errorRates: { read: 0.03, readHead: 0.03, open: 0.03, write: 0.03, writeStream: 0.05, writeBatch: 0.04, delete: 0.03, has: 0.03, list: 0.03, lock: 0.02 },
  bitFlipRate: 0.05,
  crashRate: 0.08,
};

/** Every file under `root` (one level of shard folders), relative names. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? readdirSync(join(root, e.name)).map((n) => `${e.name}/${n}`) : [e.name]));
}

const run = <T>(obs: import('rxjs').Observable<T>): Promise<T> => lastValueFrom(obs);
const failure = (obs: import('rxjs').Observable<unknown>): Promise<KonserveError> =>
  lastValueFrom(obs).then(
    (v) => {
      throw new Error(`expected a failure, got ${String(v)}`);
    },
    (e: KonserveError) => e,
  );

describe('fault workloads over fs (fsync off)', () => {
  const tally: Record<string, number> = {};
  it.each(SEEDS)(
    'seed %i: acknowledged writes are on disk for a fresh backing, failed writes leave old (or new after a lost ack), flips never read as data, no temp file is left',
    async (seed) => {
      const dir = tempDir('konserve-rel-');
      const backing = faultyBacking(fileBacking({ path: dir, fsync: false }), { ...RATES, seed });
      const store = createStore(backing);
      const clean = createStore(fileBacking({ path: dir, fsync: false }));
      const report = await runWorkload({
        store,
        clean,
        faults: backing.faults,
        ops: randomWorkload({ seed, steps: 70, weights: { bassoc: 6, multiAssoc: 6, multiDissoc: 3, append: 6 } }),
      });
      await run(store.close());
      await run(clean.close());
      expect({ seed, violations: report.violations }).toEqual({ seed, violations: [] });
      // a cut stream or a failed batch removes its temp files; lock files are released
      expect(filesUnder(dir).filter((f) => f.endsWith('.tmp') || f.includes('.lock'))).toEqual([]);
      for (const f of backing.faults) {
        const name = `${f.kind}:${f.op}${f.kind === 'crash' ? `/${f.applied}` : ''}`;
        tally[name] = (tally[name] ?? 0) + 1;
      }
    },
  );

  it('injected the faults only a file backing can suffer: cut streams, partial batches, damaged positional reads', () => {
    const kinds = [
      'crash:writeStream/none',
      'crash:writeStream/all',
      'crash:writeBatch/prefix',
      'crash:writeBatch/all',
      'crash:write/all',
      'error:writeStream',
      'error:lock',
      'bitflip:read',
      'bitflip:readHead',
    ];
    expect(kinds.filter((k) => (tally[k] ?? 0) === 0)).toEqual([]);
  });
});

/** An Error shaped like Node's for a failed system call. */
function systemError(code: string, syscall = 'write'): Error {
  return Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, errno: -28, syscall });
}

describe('a full disk (ENOSPC), simulated on every write path', () => {
  it.each<[string, (s: Store) => import('rxjs').Observable<unknown>]>([
    ['assoc', (s) => s.assoc('doc', { v: 'new' })],
    ['update', (s) => s.update('doc', () => ({ v: 'new' }))],
    [
      'multiAssoc',
      (s) =>
        s.multiAssoc([
          ['doc', { v: 'new' }],
          ['other', 2],
        ]),
    ],
    [
      'bassoc (streamed)',
      (s) =>
        s.bassoc(
          'doc',
          (async function* () {
            yield new Uint8Array(10);
            yield new Uint8Array(10);
          })(),
        ),
    ],
    ['append', (s) => s.append('doc', 1)],
  ])('%s fails with ERR_IO whose cause has code ENOSPC, and the old value stays', async (_label, write) => {
    const dir = tempDir('konserve-enospc-');
    await run(createStore(fileBacking({ path: dir, fsync: false })).assoc('doc', { v: 'old' }));
    const full = faultyBacking(fileBacking({ path: dir, fsync: false }), {
      seed: 1,
      errorRates: { write: 1, writeStream: 1, writeBatch: 1 },
      error: (op) => systemError('ENOSPC', op),
    });
    const err = await failure(write(createStore(full)));
    if (_label === 'append')
      expect(err.code).toBe('ERR_INVALID_ARGUMENT'); // the key holds a value: refused before writing
    else expect({ code: err.code, cause: (err.cause as { code?: string }).code }).toEqual({ code: 'ERR_IO', cause: 'ENOSPC' });
    const fresh = createStore(fileBacking({ path: dir, fsync: false }));
    expect(await run(fresh.get('doc'))).toEqual({ v: 'old' });
    expect(await run(fresh.exists('other'))).toBe(false);
  });
});

/** Runs `mount` (or `umount`); true when it worked. */
function sh(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** A tiny tmpfs mounted at a new folder, or `undefined` when this machine does not let us mount. */
function tinyTmpfs(size: string): string | undefined {
  const at = mkdtempSync(join(tmpdir(), 'konserve-tmpfs-'));
  if (process.platform !== 'linux' || !sh('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at])) {
    rmSync(at, { recursive: true, force: true });
    return undefined;
  }
  mounted.push(at);
  return at;
}
const mounted: string[] = [];
afterAll(() => {
  for (const at of mounted.splice(0)) if (sh('umount', ['-l', at])) rmSync(at, { recursive: true, force: true });
});
const canMount = (() => {
  const probe = tinyTmpfs('64k');
  return probe !== undefined;
})();
const withMount = canMount ? it : it.skip;

describe(`a real full disk: a ${canMount ? '' : '(skipped: mounting a tmpfs needs root with mount rights) '}256 KiB tmpfs`, () => {
  withMount('a value that does not fit fails with ERR_IO (ENOSPC), the old value stays, no temp file is left, and smaller writes still work', async () => {
    const dir = tinyTmpfs('256k')!;
    const store = await firstValueFrom(connectFileStore({ path: join(dir, 'store'), fsync: true }));
    await run(store.assoc('doc', { v: 'old', pad: 'x'.repeat(10_000) }));
    const err = await failure(store.assoc('doc', { v: 'new', pad: 'y'.repeat(400_000) }));
    expect({ code: err.code, cause: (err.cause as { code?: string }).code }).toEqual({ code: 'ERR_IO', cause: 'ENOSPC' });
    const big = new Uint8Array(300_000);
    const streamed = await failure(
      store.bassoc(
        'bin',
        (async function* () {
          for (let i = 0; i < 10; i++) yield big.subarray(i * 30_000, (i + 1) * 30_000);
        })(),
      ),
    );
    expect((streamed.cause as { code?: string }).code).toBe('ENOSPC');
    expect(await run(store.get('doc'))).toEqual({ v: 'old', pad: 'x'.repeat(10_000) });
    expect(await run(store.exists('bin'))).toBe(false);
    expect(filesUnder(join(dir, 'store')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await run(store.assoc('doc', { v: 'small' }));
    expect(await run(store.get('doc'))).toEqual({ v: 'small' });
    await run(store.close());
  });
});

describe('a read-only folder', () => {
  it('a store path below a regular file fails to open with ERR_IO naming the path; nothing is written', async () => {
    const file = join(tempDir('konserve-ro-'), 'plain-file');
    writeFileSync(file, 'not a folder');
    const err = await failure(connectFileStore({ path: join(file, 'store') }));
    expect(err.code).toBe('ERR_IO');
    expect(err.path?.startsWith(file)).toBe(true);
  });

  it('writes refused by the file system (EROFS, simulated) fail with ERR_IO; every stored key still reads', async () => {
    const dir = tempDir('konserve-ro-');
    const setup = createStore(fileBacking({ path: dir, fsync: false }));
    await run(
      setup.multiAssoc([
        ['a', 1],
        ['b', { x: [1, 2] }],
      ]),
    );
    await run(setup.append('log', 'e1'));
    const readOnly = createStore(
      faultyBacking(fileBacking({ path: dir, fsync: false }), {
        seed: 2,
        errorRates: { write: 1, writeStream: 1, writeBatch: 1, delete: 1, lock: 1 },
        error: (op) => systemError('EROFS', op),
      }),
    );
    for (const write of [readOnly.assoc('a', 2), readOnly.dissoc('b'), readOnly.append('log', 'e2'), readOnly.multiDissoc(['a', 'b'])]) {
      const err = await failure(write);
      expect({ code: err.code, cause: (err.cause as { code?: string }).code }).toEqual({ code: 'ERR_IO', cause: 'EROFS' });
    }
    expect(await run(readOnly.multiGet(['a', 'b']))).toEqual(
      new Map<string, unknown>([
        ['a', 1],
        ['b', { x: [1, 2] }],
      ]),
    );
    expect(await run(readOnly.log('log').pipe(toArray()))).toEqual(['e1']);
  });

  withMount('on a tmpfs remounted read-only: writes fail with ERR_IO (EROFS), reads still work, the data is unchanged', async () => {
    const dir = tinyTmpfs('1m')!;
    const path = join(dir, 'store');
    const setup = await firstValueFrom(connectFileStore({ path, fsync: true }));
    await run(setup.assoc('a', { v: 1 }));
    await run(setup.close());
    expect(sh('mount', ['-o', 'remount,ro', dir])).toBe(true);
    const store = await firstValueFrom(connectFileStore({ path, fsync: true }));
    const err = await failure(store.assoc('a', { v: 2 }));
    expect(err.code).toBe('ERR_IO');
    expect((err.cause as { code?: string }).code).toBe('EROFS');
    expect(await run(store.get('a'))).toEqual({ v: 1 });
    await run(store.close());
  });

  const causeOf = (err: KonserveError): string | undefined => (err.cause as { code?: string } | undefined)?.code;

  withMount('a new key (its shard folder does not exist yet) fails with ERR_IO whose cause is EROFS, not ENOENT', async () => {
    const { store } = await readOnlyStore();
    for (const write of [
      store.assoc('new-1', 1),
      store.assoc(['new', 2], 2),
      store.multiAssoc([['new-3', 3]]),
      store.append('new-4', 'e'),
      store.bassoc('new-5', 'bytes'),
    ]) {
      const err = await failure(write);
      expect({ code: err.code, cause: causeOf(err) }).toEqual({ code: 'ERR_IO', cause: 'EROFS' });
    }
    await run(store.close());
  });

  withMount('a refused write fails with ERR_IO whose path is a file inside the store folder, never a lock link target', async () => {
    const { path, store } = await readOnlyStore();
    for (const write of [store.assoc('a', { v: 2 }), store.update('a', () => ({ v: 3 })), store.assoc('new-1', 1)]) {
      const err = await failure(write);
      expect({ code: err.code, inStore: err.path?.startsWith(path + sep) }).toEqual({ code: 'ERR_IO', inStore: true });
    }
    await run(store.close());
  });

  withMount('dissoc and multiDissoc of missing keys emit false (no ERR_IO); dissoc of a stored key fails with ERR_IO (EROFS) and keeps it', async () => {
    const { store } = await readOnlyStore();
    expect(await run(store.dissoc('missing'))).toBe(false);
    expect(await run(store.multiDissoc(['missing', ['also', 'missing']]))).toEqual(
      new Map<unknown, boolean>([
        ['missing', false],
        [['also', 'missing'], false],
      ]),
    );
    const err = await failure(store.dissoc('a'));
    expect({ code: err.code, cause: causeOf(err) }).toEqual({ code: 'ERR_IO', cause: 'EROFS' });
    expect(await run(store.get('a'))).toEqual({ v: 1 });
    await run(store.close());
  });

  withMount(
    'a folder that turns read-only while open, with lock files: the lock fails with ERR_IO (EROFS) naming the lock file, not its link target',
    async () => {
      const dir = tinyTmpfs('1m')!;
      const path = join(dir, 'store');
      const store = await firstValueFrom(connectFileStore({ path, fsync: true, lockFiles: 'always' }));
      await run(store.assoc('a', { v: 1 }));
      expect(sh('mount', ['-o', 'remount,ro', dir])).toBe(true);
      const err = await failure(store.assoc('a', { v: 2 }));
      expect({ code: err.code, cause: causeOf(err) }).toEqual({ code: 'ERR_IO', cause: 'EROFS' });
      expect(err.path).toMatch(/~\.lock$/);
      expect(err.path?.startsWith(path + sep)).toBe(true);
      expect(await run(store.get('a'))).toEqual({ v: 1 });
      await run(store.close());
    },
  );
});

/** A store with keys `a` and `b` on a tmpfs remounted read-only, opened after the remount. */
async function readOnlyStore(): Promise<{ path: string; store: Store }> {
  const dir = tinyTmpfs('1m')!;
  const path = join(dir, 'store');
  const setup = await firstValueFrom(connectFileStore({ path, fsync: true }));
  await run(
    setup.multiAssoc([
      ['a', { v: 1 }],
      ['b', 2],
    ]),
  );
  await run(setup.close());
  expect(sh('mount', ['-o', 'remount,ro', dir])).toBe(true);
  return { path, store: await firstValueFrom(connectFileStore({ path, fsync: true })) };
}
