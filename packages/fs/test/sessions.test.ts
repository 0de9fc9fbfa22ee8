/**
 * Sessions and the exclusive lease: a backing alone locks in memory, hands over to a newcomer
 * (in this process or another), and a clean reopen sweeps nothing while a crash's leftovers go.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectFileStore, fileBacking } from '@konserve-rx/fs';
import { ensureBuilt, startChild } from './helpers/children';
import { bytes, deadPid, exists, filesUnder, HOST_TAG, lockFile, plantDeadSession, removeTempDirs, sleep, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

const lease = (root: string) => join(root, 'konserve_rx_exclusive~.lock');
const sessions = (root: string) => readdirSync(join(root, 'konserve_rx_sessions')).sort();
/** The pid a lease or session file names. */
const ownerPid = (path: string): number => Number(/^krx-lock:(\d+):/.exec(readlinkSync(path))![1]);

describe('fileBacking: sessions and the exclusive lease', () => {
  it('a backing alone holds the lease, writes without lock files, and leaves nothing when it closes', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    await b.write('ab12', bytes('v'));
    expect(ownerPid(lease(b.path))).toBe(process.pid);
    expect(sessions(b.path)).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-[0-9a-f]{12}$`))]);
    const release = await b.lock!('ab12');
    expect(exists(lockFile(b.path, 'ab12'))).toBe(false);
    await release();
    await b.close!();
    expect(exists(lease(b.path))).toBe(false);
    expect(sessions(b.path)).toEqual([]);
    expect(await filesUnder(b.path)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
  });

  it("lockFiles: 'always' never takes the lease; any other value fails with ERR_INVALID_ARGUMENT", async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, lockFiles: 'always' });
    const release = await b.lock!('ab12');
    expect(exists(lockFile(b.path, 'ab12'))).toBe(true);
    expect(exists(lease(b.path))).toBe(false);
    await release();
    await b.close!();
    expect(() => fileBacking({ path: tempDir(), lockFiles: 'never' as 'always' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('hands over to a newcomer: it waits until the holder releases its lock-free locks, then both use lock files', async () => {
    const a = fileBacking({ path: tempDir(), fsync: false });
    const releaseA = await a.lock!('ab12');
    expect(exists(lease(a.path))).toBe(true);
    const b = fileBacking({ path: a.path, fsync: false });
    let bHolds = false;
    const bLock = Promise.resolve(b.lock!('ab12')).then((r) => ((bHolds = true), r));
    await sleep(300);
    // the holder saw the newcomer but keeps the lease while its lock is held: b must wait
    expect(bHolds).toBe(false);
    expect(exists(lease(a.path))).toBe(true);
    await releaseA();
    const releaseB = await bLock;
    expect(exists(lease(a.path))).toBe(false);
    expect(exists(lockFile(a.path, 'ab12'))).toBe(true);
    // the former holder now takes lock files too, and waits for b's
    let aHolds = false;
    const aAgain = Promise.resolve(a.lock!('ab12')).then((r) => ((aHolds = true), r));
    await sleep(50);
    expect(aHolds).toBe(false);
    await releaseB();
    await (
      await aAgain
    )();
    await Promise.all([a.close!(), b.close!()]);
    expect(sessions(a.path)).toEqual([]);
    expect(await filesUnder(a.path)).toEqual(['konserve_rx_store.json']);
  });

  it('a newcomer fails with ERR_LOCKED naming the lease when a live holder never hands over', async () => {
    const root = tempDir();
    await fileBacking({ path: root, fsync: false }).init();
    // our parent process is alive; its session and lease look live but nobody answers for them
    const record = `krx-lock:${process.ppid}:${HOST_TAG}:0123abcd`;
    symlinkSync(record, join(root, 'konserve_rx_sessions', `${process.ppid}-0123abcd0000`));
    const b = fileBacking({ path: root, fsync: false, lockTimeoutMs: 300, staleLockMs: 60_000 });
    await b.init();
    symlinkSync(record, lease(root));
    const err = await Promise.resolve(b.lock!('ab12')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_LOCKED', path: lease(root) });
    await b.close!();
  });

  it('a clean reopen does not sweep the folders; a dead session makes the next open sweep and removes it', async () => {
    const root = tempDir();
    const first = fileBacking({ path: root, fsync: false });
    await first.write('ab12', bytes('v'));
    await first.close!();
    const dead = deadPid();
    // a file only a sweep would remove: if opening listed the shard folders, it would be gone
    writeFileSync(join(root, 'ab', `ab12~${dead}-00ff.tmp`), 'torn');
    const second = fileBacking({ path: root, fsync: false });
    await second.init();
    expect(await filesUnder(root)).toEqual(['ab/ab12', `ab/ab12~${dead}-00ff.tmp`, 'konserve_rx_store.json']);
    await second.close!();
    const session = plantDeadSession(root, dead);
    await fileBacking({ path: root, fsync: false }).init();
    expect(await filesUnder(root)).toEqual(['ab/ab12', 'konserve_rx_store.json']);
    expect(exists(session)).toBe(false);
  });

  it('sweeps a folder that has no session record (written before sessions existed)', async () => {
    const root = tempDir();
    const first = fileBacking({ path: root, fsync: false, shard: false });
    await first.write('ab12', bytes('v'));
    await first.close!();
    rmSync(join(root, 'konserve_rx_sessions'), { recursive: true });
    writeFileSync(join(root, `ab12~${deadPid()}-00ff.tmp`), 'torn');
    await fileBacking({ path: root, fsync: false, shard: false }).init();
    expect(await filesUnder(root)).toEqual(['ab12', 'konserve_rx_store.json']);
  });
});

describe('fileBacking: sessions across processes', () => {
  beforeAll(ensureBuilt, 120_000);

  it('takes over from a holder in another process, and sweeps after that process is killed with SIGKILL', async () => {
    const path = tempDir();
    const child = startChild('hold-open.js', [path]);
    await child.waitFor('open');
    const childPid = child.proc.pid!;
    expect(ownerPid(lease(path))).toBe(childPid);
    // this process joins while the child holds the lease: its write waits for the handover
    const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
    await lastValueFrom(store.assoc('parent', 1));
    expect(exists(lease(path))).toBe(false);
    await lastValueFrom(store.close(), { defaultValue: undefined });
    // alone again, the child keeps using lock files (it never takes the lease back on its own)
    child.proc.kill('SIGKILL');
    await child.done;
    expect(sessions(path).some((s) => s.startsWith(`${childPid}-`))).toBe(true);
    const again = await firstValueFrom(connectFileStore({ path, fsync: false }));
    expect(await firstValueFrom(again.get('child'))).toBe(childPid);
    expect(await firstValueFrom(again.get('parent'))).toBe(1);
    // the dead child's session was removed and this process holds the lease
    expect(sessions(path).every((s) => s.startsWith(`${process.pid}-`))).toBe(true);
    expect(ownerPid(lease(path))).toBe(process.pid);
    await lastValueFrom(again.close(), { defaultValue: undefined });
  }, 60_000);

  it('breaks the lease of a holder killed with SIGKILL', async () => {
    const path = tempDir();
    const child = startChild('hold-open.js', [path]);
    await child.waitFor('open');
    expect(ownerPid(lease(path))).toBe(child.proc.pid);
    child.proc.kill('SIGKILL');
    await child.done;
    const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
    await lastValueFrom(store.assoc('after', true));
    expect(ownerPid(lease(path))).toBe(process.pid);
    expect(sessions(path)).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-`))]);
    await lastValueFrom(store.close(), { defaultValue: undefined });
  }, 60_000);
});

describe('fileBacking: a session removed while its process lives', () => {
  it('is put back within staleLockMs / 3, so a later crash still leaves its record', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false, staleLockMs: 90 });
    await b.init();
    const [mine] = sessions(b.path);
    rmSync(join(b.path, 'konserve_rx_sessions', mine!));
    expect(sessions(b.path)).toEqual([]);
    await sleep(150);
    expect(sessions(b.path)).toEqual([mine]);
    expect(ownerPid(join(b.path, 'konserve_rx_sessions', mine!))).toBe(process.pid);
    await b.close!();
    expect(sessions(b.path)).toEqual([]);
  });
});
