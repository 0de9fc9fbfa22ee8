/**
 * Change streams across backings and processes on one folder: every committed write reaches the
 * `changes()` and `watch()` of every other store on the folder through the change journal, in
 * commit order per key, and a store with `shareChanges: false` neither writes nor hears notices.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store, WriteEvent } from '@konserve-rx/core';
import { record } from '@konserve-rx/core/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { connectFileStore } from '@konserve-rx/fs';
import { ROTATE_BYTES } from '../src/change-journal';
import { ensureBuilt, startChild } from './helpers/children';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

const stores: Store[] = [];
async function open(path: string, shareChanges?: boolean): Promise<Store> {
  const store = await firstValueFrom(connectFileStore({ path, fsync: false, ...(shareChanges === undefined ? {} : { shareChanges }) }));
  stores.push(store);
  return store;
}
afterAll(async () => {
  for (const s of stores) await lastValueFrom(s.close(), { defaultValue: undefined }).catch(() => undefined);
  removeTempDirs();
});

describe('fs: changes across backings on one folder', () => {
  it('a store sees the writes of another store on the same folder, as WriteEvents of the same shape', async () => {
    const path = tempDir();
    const [a, b] = [await open(path), await open(path)];
    await lastValueFrom(b.assoc('gone', 1));
    const events = record(a.changes());
    const watched = record(a.watch('doc'));
    await watched.until(1);
    await lastValueFrom(b.assoc('doc', { n: 1 }, { meta: { by: 'b' } }));
    await lastValueFrom(b.assocIn(['doc', 'm'], 2));
    await lastValueFrom(b.append('log', 'entry'));
    await lastValueFrom(b.dissoc('gone'));
    await events.until(4);
    const [assoc, assocIn, append, dissoc] = events.values as WriteEvent[];
    expect(assoc).toEqual({ op: 'assoc', key: 'doc', value: { n: 1 }, meta: { key: 'doc', type: 'value', lastWrite: expect.any(Date), by: 'b' } });
    expect(assocIn).toMatchObject({ op: 'assocIn', key: 'doc', path: ['doc', 'm'], value: { n: 1, m: 2 } });
    expect(append).toMatchObject({ op: 'append', key: 'log', value: 'entry', meta: { type: 'append-log' } });
    expect(dissoc).toMatchObject({ op: 'dissoc', key: 'gone' });
    await watched.until(3);
    expect(watched.values).toEqual([undefined, { n: 1 }, { n: 1, m: 2 }]);
  });

  it('a store does not hear its own writes twice', async () => {
    const path = tempDir();
    const [a, b] = [await open(path), await open(path)];
    const events = record(a.changes());
    for (let i = 0; i < 5; i++) await lastValueFrom(a.assoc('k', i));
    // the journal is read in order: once b's write arrives, any notice of a's own would have too
    await lastValueFrom(b.assoc('sentinel', true));
    await events.when((v) => v.some((e) => e.key === 'sentinel'));
    expect((events.values as WriteEvent[]).map((e) => e.value)).toEqual([0, 1, 2, 3, 4, true]);
  });

  it('keeps delivering across a rotation of the journal', async () => {
    const path = tempDir();
    const [a, b] = [await open(path), await open(path)];
    const events = record(a.changes());
    // user metadata makes each notice over 8 KiB: this many writes pass the rotation size twice
    const pad = 'x'.repeat(8192);
    const writes = Math.ceil((ROTATE_BYTES * 2.5) / 8192);
    for (let i = 0; i < writes; i++) await lastValueFrom(b.assoc(`k${i % 50}`, i, { meta: { pad } }));
    await lastValueFrom(b.assoc('last', 'write'));
    await events.until(writes + 1);
    const values = (events.values as WriteEvent[]).map((e) => e.value);
    expect(values.at(-1)).toBe('write');
    expect(values).toHaveLength(writes + 1);
    expect(existsSync(join(path, 'konserve_rx_changes', 'journal.old'))).toBe(true);
  }, 120_000);

  it('shareChanges: false announces nothing and hears nothing', async () => {
    const path = tempDir();
    const quiet = await open(path, false);
    const [listener, other] = [await open(path), await open(path)];
    const heard = record(listener.changes());
    const quietHeard = record(quiet.changes());
    await lastValueFrom(quiet.assoc('mine', 1));
    await lastValueFrom(other.assoc('theirs', 1));
    // journal order: once 'theirs' arrived, a notice of 'mine' would have arrived before it
    await heard.when((v) => v.some((e) => e.key === 'theirs'));
    expect((heard.values as WriteEvent[]).map((e) => e.key)).toEqual(['theirs']);
    // the quiet store may only be checked after a while: a missed notice can never fail this
    await new Promise((r) => setTimeout(r, 600));
    expect((quietHeard.values as WriteEvent[]).map((e) => e.key)).toEqual(['mine']);
  });
});

describe('fs: changes across processes', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('changes() and watch() here see every write two child processes make, in commit order per key', async () => {
    const path = tempDir();
    const store = await open(path);
    await lastValueFrom(
      store.multiAssoc([
        ['counter-gone', 1],
        ['other-gone', 1],
      ]),
    );
    const events = record(store.changes());
    const watched = record(store.watch('counter'));
    await watched.until(1);
    const children = [startChild('change-writer.js', [path, 'counter', '40']), startChild('change-writer.js', [path, 'counter', '40'])];
    await Promise.all(children.map((c) => c.waitFor('ready')));
    for (const c of children) c.send('go');
    const exits = await Promise.all(children.map((c) => c.done));
    expect(exits.map((e) => [e.code, e.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    // 80 updates, 2 appends, 1 dissoc that removed a key (the second child's finds nothing)
    await events.until(83);
    const all = events.values as WriteEvent[];
    const updates = all.filter((e) => e.op === 'update');
    expect(updates).toHaveLength(80);
    expect(all.filter((e) => e.op === 'append').map((e) => e.value)).toEqual(['from child', 'from child']);
    expect(all.filter((e) => e.op === 'dissoc').map((e) => e.key)).toEqual(['counter-gone']);
    await watched.when((v) => v.at(-1) === 80);
    const seen = watched.values as number[];
    // re-read values may skip ahead when notices arrive together, but never go back
    expect(seen.slice(1).every((v, i) => i === 0 || v >= seen[i]!)).toBe(true);
    expect(await lastValueFrom(store.get('counter'))).toBe(80);
  }, 60_000);
});
