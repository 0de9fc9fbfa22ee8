/** The open-time sweep over many shard folders at once: every leftover found and counted, blobs untouched. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileBacking } from '@konserve-rx/fs';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STALE_LOCK_MS } from '../src/options';
import { removeLeftovers } from '../src/leftovers';
import { bytes, deadPid, filesUnder, removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

describe('removeLeftovers', () => {
  it('sweeps every shard folder (several at once) and counts each removed temp file exactly once', async () => {
    const b = fileBacking({ path: tempDir(), fsync: false });
    const ids = Array.from({ length: 40 }, (_, i) => `${(i * 7).toString(16).padStart(2, '0')}${i}`);
    await Promise.all(ids.map((id) => b.write(id, bytes(id))));
    const dead = deadPid();
    for (const id of ids) writeFileSync(join(b.path, id.slice(0, 2), `${id}~${dead}-0f.tmp`), 'torn');
    const locks = { staleMs: DEFAULT_STALE_LOCK_MS, timeoutMs: DEFAULT_LOCK_TIMEOUT_MS, ensureDir: async () => undefined };
    expect(await removeLeftovers({ root: b.path, shard: true }, locks)).toBe(ids.length);
    expect(await filesUnder(b.path)).toEqual([...ids.map((id) => `${id.slice(0, 2)}/${id}`), 'konserve_rx_store.json'].sort());
  });
});
