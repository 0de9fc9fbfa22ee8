/** The folder-fsync coalescer: concurrent requests share fsyncs, and none is covered by a stale one. */
import { describe, expect, it } from '@jest/globals';
import { createDirSync } from '../src/internal/dir-sync';

describe('createDirSync', () => {
  it('lets concurrent requests share one queued fsync, and starts a new one for requests made while one runs', async () => {
    const started: string[] = [];
    const finishers: (() => void)[] = [];
    const sync = createDirSync((dir) => {
      started.push(dir);
      return new Promise<void>((resolve) => finishers.push(resolve));
    });
    const first = [sync('/a'), sync('/a'), sync('/a')];
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(['/a']);
    // a request while the first runs must not be satisfied by it (its rename may be newer)
    let lateDone = false;
    const late = sync('/a').then(() => (lateDone = true));
    const late2 = sync('/a');
    finishers.shift()!();
    await Promise.all(first);
    expect(lateDone).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['/a', '/a']);
    finishers.shift()!();
    await Promise.all([late, late2]);
    expect(lateDone).toBe(true);
  });

  it('keeps folders independent and passes failures to the requests of that fsync', async () => {
    const sync = createDirSync(async (dir) => {
      if (dir === '/bad') throw new Error('EIO');
    });
    await expect(Promise.all([sync('/ok'), sync('/ok')])).resolves.toEqual([undefined, undefined]);
    await expect(sync('/bad')).rejects.toThrow('EIO');
    await expect(sync('/ok')).resolves.toBeUndefined();
  });
});
