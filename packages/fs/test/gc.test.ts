/** sweep over the file backend: cross-process lock files around each batch, deletions on disk. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { collect, listIds, run } from '@konserve-rx/core/testing';
import { connectFileStore } from '@konserve-rx/fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '@konserve-rx/core';

const root = mkdtempSync(join(tmpdir(), 'konserve-gc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sweep over files', () => {
  it('deletes old keys and orphaned log elements on disk, leaving kept and new keys', async () => {
    const path = join(root, 'store');
    const clock = { t: 1000 };
    const store = await run(connectFileStore({ path, fsync: false, now: () => clock.t }));
    await run(store.multiAssoc(Array.from({ length: 25 }, (_, i) => [`old${i}`, i] as const)));
    await run(store.append('log', 1));
    await run(store.append('log', 2));
    await run(store.assoc('log', 'replaced'));
    clock.t = 5000;
    await run(store.assoc('new', true));
    const events = await collect(sweep(store, { olderThan: new Date(2000), keep: ['old0', 'log'], batchSize: 7 }));
    expect(events.filter((e) => e.type === 'key')).toHaveLength(24);
    expect(events.filter((e) => e.type === 'orphan')).toHaveLength(2);
    await run(store.close());
    const reopened = await run(connectFileStore({ path }));
    expect((await collect(reopened.keys())).map((m) => m.key).sort()).toEqual(['log', 'new', 'old0']);
    expect(await listIds(reopened.backing)).toHaveLength(3);
    await run(reopened.close());
  });
});
