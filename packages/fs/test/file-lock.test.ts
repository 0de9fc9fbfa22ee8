/** Cross-process lock files: exclusion, release, heartbeat, stale recovery and timeout. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { lutimesSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileBacking } from '@konserve-rx/fs';
import { bytes, collect, deadPid, exists, filesUnder, HOST_TAG, lockFile, plantDeadSession, removeTempDirs, sleep, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

/** Leaves a lock as another process would: a symlink, or a regular file where symlinks are unavailable. */
function plantLock(root: string, id: string, pid: number, ageMs = 0, form: 'symlink' | 'file' = 'symlink'): void {
  const file = lockFile(root, id);
  const owner = `krx-lock:${pid}:${HOST_TAG}:0123abcd`;
  if (form === 'symlink') symlinkSync(owner, file);
  else writeFileSync(file, owner);
  const t = new Date(Date.now() - ageMs);
  lutimesSync(file, t, t);
}

// These tests are about the lock files themselves: 'always' keeps a backing that has the folder to
// itself from holding the exclusive lease instead (sessions.test.ts covers the lease).
describe('fileBacking: lock', () => {
  it('excludes a second holder (another backing on the folder) until release, which deletes the file', async () => {
    const a = fileBacking({ path: tempDir(), fsync: false, lockFiles: 'always' });
    const b = fileBacking({ path: a.path, fsync: false, lockFiles: 'always' });
    await a.write('ab12', bytes('v'));
    const releaseA = await a.lock!('ab12');
    expect(exists(lockFile(a.path, 'ab12'))).toBe(true);
    expect(await collect(a.list())).toEqual(['ab12']);
    let bHolds = false;
    const bLock = Promise.resolve(b.lock!('ab12')).then((r) => ((bHolds = true), r));
    await sleep(60);
    expect(bHolds).toBe(false);
    await releaseA();
    const releaseB = await bLock;
    expect(bHolds).toBe(true);
    await releaseB();
    expect(await filesUnder(a.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });

  // "at once": these locks are fresh and staleLockMs is 60 s, so only the owner check can free
  // them before the test times out; lockTimeoutMs is generous because a loaded machine is slow
  // to get there, and no wall-clock bound is asserted for the same reason
  it.each(['symlink', 'file'] as const)('recovers at once a lock (%s) whose owner pid is dead', async (form) => {
    const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 60_000, lockTimeoutMs: 20_000, lockFiles: 'always' });
    await b.write('ab12', bytes('v'));
    plantLock(b.path, 'ab12', deadPid(), 0, form);
    const release = await b.lock!('ab12');
    await release();
    expect(exists(lockFile(b.path, 'ab12'))).toBe(false);
  });

  it('recovers a lock of our own pid that this process does not hold (a restarted container)', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 60_000, lockTimeoutMs: 20_000, lockFiles: 'always' });
    await b.write('ab12', bytes('v'));
    plantLock(b.path, 'ab12', process.pid);
    await (
      await b.lock!('ab12')
    )();
  });

  it('never breaks a lock of a live process of this host, however long its heartbeat stopped: waiters get ERR_LOCKED', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 100, lockTimeoutMs: 600, lockFiles: 'always' });
    await b.write('ab12', bytes('v'));
    // our parent process is alive but never refreshes this file: it may be frozen, not dead
    plantLock(b.path, 'ab12', process.ppid, 10_000);
    await expect(Promise.resolve(b.lock!('ab12'))).rejects.toMatchObject({ code: 'ERR_LOCKED' });
    expect(exists(lockFile(b.path, 'ab12'))).toBe(true);
  });

  it('recovers at once a lock whose live pid started at another time than its owner (a reused pid)', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 60_000, lockTimeoutMs: 20_000, lockFiles: 'always' });
    await b.write('ab12', bytes('v'));
    symlinkSync(`krx-lock:${process.ppid}:${HOST_TAG}:0123abcd:1`, lockFile(b.path, 'ab12'));
    await (
      await b.lock!('ab12')
    )();
  });

  it('recovers at once a lock whose owner exited but was not reaped yet (a zombie)', async () => {
    // the shell execs into `sleep 60`, which never reaps the `sleep 1` started before; that child
    // still runs when the exec happens (a child that exited before it could be reaped by the shell)
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(String(d)))));
      while (!readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z ')) await sleep(5);
      const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 60_000, lockTimeoutMs: 20_000, lockFiles: 'always' });
      await b.write('ab12', bytes('v'));
      plantLock(b.path, 'ab12', zombie);
      await (
        await b.lock!('ab12')
      )();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('recovers a lock of another host once it misses its heartbeat for staleLockMs', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 300, lockTimeoutMs: 5000, lockFiles: 'always' });
    await b.write('ab12', bytes('v'));
    const foreign = HOST_TAG === '00000000' ? '11111111' : '00000000';
    symlinkSync(`krx-lock:${process.ppid}:${foreign}:0123abcd`, lockFile(b.path, 'ab12'));
    const t = new Date(Date.now() - 1000);
    lutimesSync(lockFile(b.path, 'ab12'), t, t);
    await (
      await b.lock!('ab12')
    )();
  });

  it('keeps a live holder through its heartbeat and fails a waiter with ERR_LOCKED after lockTimeoutMs', async () => {
    const opts = { fsync: false, staleLockMs: 150, lockTimeoutMs: 600, lockFiles: 'always' as const };
    const a = fileBacking({ path: tempDir(), ...opts });
    const b = fileBacking({ path: a.path, ...opts });
    await a.write('ab12', bytes('v'));
    const release = await a.lock!('ab12');
    const t0 = Date.now();
    const err = await Promise.resolve(b.lock!('ab12')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_LOCKED', path: lockFile(a.path, 'ab12') });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    await release();
    await (
      await b.lock!('ab12')
    )();
  });

  it('lets exactly one of several backings on the folder hold the lock at a time', async () => {
    const root = tempDir();
    const backings = Array.from({ length: 4 }, () => fileBacking({ path: root, fsync: false }));
    let inside = 0;
    let maxInside = 0;
    let entries = 0;
    // each backing takes the lock 5 times in a row (core never overlaps locks of one id per backing)
    await Promise.all(
      backings.map(async (b) => {
        for (let i = 0; i < 5; i++) {
          const release = await b.lock!('cd34');
          inside++;
          entries++;
          maxInside = Math.max(maxInside, inside);
          await sleep(2);
          inside--;
          await release();
        }
      }),
    );
    expect(entries).toBe(20);
    expect(maxInside).toBe(1);
  });

  it('releases locks still held when the backing closes', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, lockFiles: 'always' });
    await b.lock!('ab12');
    expect(exists(lockFile(b.path, 'ab12'))).toBe(true);
    await b.close!();
    expect(exists(lockFile(b.path, 'ab12'))).toBe(false);
  });
});

describe('fileBacking: leftover locks on open', () => {
  it('removes a dead owner lock even when the same crash also left its breaker', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    await b.write('ab12', bytes('v'));
    await b.close!();
    const dead = deadPid();
    plantDeadSession(b.path, dead);
    plantLock(b.path, 'ab12', dead);
    symlinkSync(`krx-lock:${dead}:${HOST_TAG}:0123abcd`, `${lockFile(b.path, 'ab12')}.break`);
    await fileBacking({ path: b.path, fsync: false }).init();
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });
});
