/**
 * What the file backing does on its own is visible: a crash sweep, a dead process's lock broken,
 * the exclusive lease handed over and a lock taken after waiting are counted in
 * `inspectStore(store).backing` and published on the konserve-rx diagnostics channels.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { DIAGNOSTIC_CHANNELS, inspectStore, type Store } from '@konserve-rx/core';
import { connectFileStore, fileBacking } from '@konserve-rx/fs';
import { bytes, deadPid, HOST_TAG, lockFile, plantDeadSession, removeTempDirs, tempDir } from './helpers/temp-dirs';

const seen: Record<string, unknown[]> = { recovery: [], handover: [], retry: [] };
const listeners = Object.fromEntries(Object.keys(seen).map((name) => [name, (e: unknown) => void seen[name]!.push(e)]));
for (const [name, listener] of Object.entries(listeners)) subscribe(DIAGNOSTIC_CHANNELS[name as keyof typeof DIAGNOSTIC_CHANNELS], listener);
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await lastValueFrom(s.close(), { defaultValue: undefined });
  for (const list of Object.values(seen)) list.length = 0;
});
afterAll(() => {
  for (const [name, listener] of Object.entries(listeners)) unsubscribe(DIAGNOSTIC_CHANNELS[name as keyof typeof DIAGNOSTIC_CHANNELS], listener);
  removeTempDirs();
});

async function open(path: string, lockFiles?: 'always'): Promise<Store> {
  const store = await firstValueFrom(connectFileStore({ path, fsync: false, ...(lockFiles ? { lockFiles } : {}) }));
  stores.push(store);
  return store;
}

describe('fs diagnostics', () => {
  it('a crash sweep on open, and the dead writer lock it breaks, are counted and published on konserve-rx:recovery', async () => {
    const root = tempDir();
    const first = fileBacking({ path: root, fsync: false });
    await first.write('ab12', bytes('v'));
    await first.close!();
    const dead = deadPid();
    plantDeadSession(root, dead);
    writeFileSync(join(root, 'ab', `ab12~${dead}-00ff.tmp`), 'torn');
    symlinkSync(`krx-lock:${dead}:${HOST_TAG}:0123abcd`, join(root, 'ab', 'ab12~.lock'));
    const store = await open(root);
    expect(inspectStore(store).backing).toMatchObject({ sweeps: 1, tempFilesRemoved: 1, staleLocksBroken: 1 });
    expect(seen.recovery).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ backend: 'file', action: 'sweep', path: root, removed: 1 }),
        expect.objectContaining({ backend: 'file', action: 'stale-lock-broken', path: join(root, 'ab', 'ab12~.lock') }),
      ]),
    );
  });

  it('a clean open sweeps nothing and reports nothing', async () => {
    const root = tempDir();
    await lastValueFrom((await open(root)).close());
    stores.length = 0;
    const store = await open(root);
    expect(inspectStore(store).backing).toEqual({ sweeps: 0, tempFilesRemoved: 0, staleLocksBroken: 0, leaseHandovers: 0, lockWaits: 0 });
    expect(seen.recovery).toEqual([]);
  });

  it('the lease handed over to a newcomer is counted by the holder and published on konserve-rx:handover', async () => {
    const root = tempDir();
    const holder = await open(root);
    await lastValueFrom(holder.assoc('k', 1));
    const newcomer = await open(root);
    // the newcomer's first write waits until the holder gave the lease up
    await lastValueFrom(newcomer.assoc('k2', 1));
    expect(inspectStore(holder).backing).toMatchObject({ leaseHandovers: 1 });
    expect(seen.handover).toEqual([expect.objectContaining({ backend: 'file', action: 'lease-handover' })]);
  });

  it('a lock taken after waiting for another holder is counted and published on konserve-rx:retry', async () => {
    const root = tempDir();
    const b = await open(root, 'always');
    // a lock left by a dead process is there before b asks: b's first attempt fails, b breaks
    // the lock, and takes it on its next attempt
    const held = lockFile(root, 'ab12');
    mkdirSync(dirname(held), { recursive: true });
    symlinkSync(`krx-lock:${deadPid()}:${HOST_TAG}:feedbeef`, held);
    await (
      await b.backing.lock!('ab12')
    )();
    expect(inspectStore(b).backing).toMatchObject({ lockWaits: 1, staleLocksBroken: 1 });
    expect(seen.retry).toEqual([expect.objectContaining({ backend: 'file', action: 'lock-wait', attempts: expect.any(Number) })]);
  });
});
