/**
 * Fencing (docs/fs.md, "Lock protocol"): a process of this host that holds a lock file or the
 * folder's exclusive lease keeps it however long it stalls, so a holder frozen with SIGSTOP past
 * `staleLockMs` and then resumed still commits, and nobody wrote under its lock meanwhile: no
 * acknowledged increment is lost. Each round freezes the child inside its `update` (the counter
 * read, the write not yet made), lets this process try to increment for 3 x staleLockMs, then
 * resumes it; waiting for the result never assumes progress within a time. A lock of another
 * host can still be broken by age: a write under it re-checks the lock file before committing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '@konserve-rx/core';
import { connectFileStore, fileBacking, type FileStoreOptions } from '@konserve-rx/fs';
import { readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { canFreeze, freeze, outcomeOf, resume, startFencedCounter, stopChild } from '../../../test-support/fencing';
import { ensureBuilt, type Child } from './helpers/children';
import { bytes, filesUnder, HOST_TAG, lockFile, removeTempDirs, sleep, tempDir, text } from './helpers/temp-dirs';

/** Short staleness keeps the rounds fast; each round stalls the holder for 3 x STALE_MS. */
const STALE_MS = 150;
const running = new Set<Child>();
const stores = new Set<Store>();

const optionsFor = (path: string, lockFiles: 'auto' | 'always'): FileStoreOptions => ({
  path,
  fsync: false,
  staleLockMs: STALE_MS,
  lockTimeoutMs: 60_000,
  lockFiles,
});
const increment = (store: Store): Promise<string> =>
  lastValueFrom(store.update('counter', (n) => ((n as number | undefined) ?? 0) + 1)).then(
    () => 'acked',
    (e: { code?: string }) => e.code ?? String(e),
  );
const open = async (options: FileStoreOptions): Promise<Store> => {
  const store = await firstValueFrom(connectFileStore(options));
  stores.add(store);
  return store;
};
const close = async (store: Store): Promise<void> => {
  stores.delete(store);
  await lastValueFrom(store.close(), { defaultValue: undefined });
};

async function startCounter(options: FileStoreOptions): Promise<Child> {
  const child = startFencedCounter('@konserve-rx/fs', 'connectFileStore', options, 'counter');
  running.add(child);
  await child.waitFor('ready');
  return child;
}

async function quit(child: Child): Promise<void> {
  child.send('quit');
  await child.done;
  running.delete(child);
}

/**
 * One round: the child stalls in `update`, is frozen, this process tries 2 increments on `store`
 * (opened by `join` once the child is frozen) for 3 x STALE_MS, then the child resumes.
 * @returns the child's outcome and this process's outcomes
 */
async function frozenRound(child: Child, round: number, dir: string, join: () => Promise<Store>): Promise<{ stalled: string; mine: string[]; store: Store }> {
  const go = `${dir}/go-${round}`;
  child.send(`stall ${round} ${go}`);
  await child.waitFor(`in-update ${round}`);
  await freeze(child.proc.pid!);
  writeFileSync(go, '');
  const store = await join();
  const mine = (async () => [await increment(store), await increment(store)])();
  // the time a waiter would need to judge the frozen holder stale by its age
  await Promise.race([mine, sleep(3 * STALE_MS)]);
  resume(child.proc.pid!);
  return { stalled: await outcomeOf(child, round), mine: await mine, store };
}

const describeFreeze = canFreeze ? describe : (title: string, body: () => void) => describe.skip(`${title} (skipped: SIGSTOP needs Linux)`, body);

describeFreeze('fs fencing: a stalled holder of this host never loses its lock', () => {
  beforeAll(ensureBuilt, 120_000);
  afterAll(async () => {
    for (const child of running) stopChild(child);
    await Promise.all([...running].map((c) => c.done));
    for (const store of stores) await lastValueFrom(store.close(), { defaultValue: undefined }).catch(() => undefined);
    removeTempDirs();
  });

  it('lock files: a holder frozen with SIGSTOP past staleLockMs still commits, and the waiter waits (20 rounds); the counter equals the acknowledged increments', async () => {
    const path = tempDir();
    const child = await startCounter(optionsFor(path, 'always'));
    const store = await open(optionsFor(path, 'always'));
    let acked = 0;
    const stalled: string[] = [];
    for (let r = 0; r < 20; r++) {
      const round = await frozenRound(child, r, path, async () => store);
      stalled.push(round.stalled);
      acked += [round.stalled, ...round.mine].filter((o) => o === 'acked').length;
    }
    expect(await firstValueFrom(store.get('counter'))).toBe(acked);
    expect(stalled).toEqual(Array(20).fill('acked'));
    expect(acked).toBe(60);
    await quit(child);
    await close(store);
  }, 120_000);

  it('the exclusive lease: a lone holder frozen past staleLockMs keeps it; a newcomer waits for the handover (20 rounds); the counter equals the acknowledged increments', async () => {
    const path = tempDir();
    const child = await startCounter(optionsFor(path, 'auto'));
    let acked = 0;
    const stalled: string[] = [];
    for (let r = 0; r < 20; r++) {
      // alone again (the newcomer of the last round closed): reopening takes the lease back
      if (r > 0) {
        child.send(`reopen r${r}`);
        await child.waitFor(`done r${r}`);
      }
      expect(readlinkSync(join(path, 'konserve_rx_exclusive~.lock'))).toMatch(new RegExp(`^krx-lock:${child.proc.pid}:`));
      const round = await frozenRound(child, r, path, () => open(optionsFor(path, 'auto')));
      stalled.push(round.stalled);
      acked += [round.stalled, ...round.mine].filter((o) => o === 'acked').length;
      await close(round.store);
    }
    const store = await open(optionsFor(path, 'auto'));
    expect(await firstValueFrom(store.get('counter'))).toBe(acked);
    expect(stalled).toEqual(Array(20).fill('acked'));
    expect(acked).toBe(60);
    await quit(child);
    await close(store);
  }, 120_000);
});

describe('fs fencing: a lock file taken over by another host', () => {
  afterAll(removeTempDirs);

  /** A backing holding the lock of 'ab12' (stored 'old'), whose lock file another host then broke and took. */
  async function brokenLock(): Promise<{ b: ReturnType<typeof fileBacking>; release: () => unknown }> {
    const b = fileBacking({ path: tempDir(), fsync: false, lockFiles: 'always' });
    await b.write('ab12', bytes('old'));
    const release = await b.lock!('ab12');
    const foreign = HOST_TAG === '00000000' ? '11111111' : '00000000';
    unlinkSync(lockFile(b.path, 'ab12'));
    symlinkSync(`krx-lock:4242:${foreign}:0123abcd`, lockFile(b.path, 'ab12'));
    return { b, release };
  }

  it.each([
    ['write', (b: ReturnType<typeof fileBacking>) => b.write('ab12', bytes('stale'))],
    [
      'writeStream',
      (b: ReturnType<typeof fileBacking>) =>
        b.writeStream!(
          'ab12',
          (async function* () {
            yield bytes('stale');
          })(),
          () => bytes('S'),
        ),
    ],
    [
      'writeBatch',
      (b: ReturnType<typeof fileBacking>) =>
        b.writeBatch!([
          ['ab12', bytes('stale')],
          ['ab12.0.0', bytes('elem')],
        ]),
    ],
    ['delete', (b: ReturnType<typeof fileBacking>) => b.delete('ab12')],
  ] as const)('%s under it fails with ERR_LOCK_LOST, changes nothing and leaves no temp file', async (_name, writeUnderLock) => {
    const { b, release } = await brokenLock();
    await expect(Promise.resolve(writeUnderLock(b))).rejects.toMatchObject({ code: 'ERR_LOCK_LOST' });
    expect(text(await b.read('ab12'))).toBe('old');
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'ab/ab12~.lock', 'konserve_rx_store.json']);
    await release();
    // the release leaves the new owner's lock alone
    expect(readlinkSync(lockFile(b.path, 'ab12'))).toMatch(/^krx-lock:4242:/);
    await b.close!();
  });
});
