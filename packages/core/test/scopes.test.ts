/**
 * Scopes beyond the compliance area: the blob id scheme (docs/format.md, "Scopes"), sweeps per
 * scope, writes of another instance heard by the right scope only, the Promise facade, storeId.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { collect, listIds, record, run } from '@konserve-rx/core/testing';
import { Subject, filter, map } from 'rxjs';
import { createStore, sweep, toAsync, type BackingStore, type ChangeNotice } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('scope blob ids', () => {
  it('are the SHA-256 of the scope path (first 32 hex), a dash, then the key id; log elements follow', async () => {
    const store = createStore(referenceBacking());
    await run(store.scope('users').scope('eu').assoc('k', 1));
    await run(store.scope('users').append('log', 'e'));
    const inner = `${sha256('["users","eu"]').slice(0, 32)}-${sha256('"k"')}`;
    const log = `${sha256('["users"]').slice(0, 32)}-${sha256('"log"')}`;
    const ids = await listIds(store.backing);
    expect(ids).toContain(inner);
    expect(ids).toContain(log);
    expect(ids.filter((id) => id.startsWith(`${log}.`))).toHaveLength(1);
    expect(ids).toHaveLength(3);
  });
});

describe('sweep over scopes', () => {
  it('sweeps the scope it is given, with its orphans; a store sweep leaves its scopes alone', async () => {
    const clock = { t: 1000 };
    const store = createStore(referenceBacking({ async: true }), { now: () => clock.t });
    const a = store.scope('a');
    await run(store.assoc('root-old', 1));
    await run(a.assoc('a-old', 1));
    await run(a.append('a-log', 'x'));
    // writing a value over a log leaves its element blob behind: an orphan of scope a
    await run(a.assoc('a-log', 'plain'));
    await run(store.scope('b').assoc('b-old', 1));
    clock.t = 2000;
    const events = await collect(sweep(a, { keep: ['a-log'] }));
    expect(events.map((e) => e.type)).toEqual(['key', 'orphan']);
    expect(events[0]!.deleted).toBe('a-old');
    expect(await collect(a.keys())).toHaveLength(1);
    expect((await collect(sweep(store))).map((e) => e.deleted)).toEqual(['root-old']);
    expect(await run(store.scope('b').get('b-old'))).toBe(1);
    expect(await run(a.get('a-log'))).toBe('plain');
  });
});

describe('scopes and other instances', () => {
  it('a write announced by another instance reaches the same scope only', async () => {
    const blobs = new Map<string, Uint8Array>();
    const bus = new Subject<{ from: number; notice: ChangeNotice }>();
    const shared = (me: number): BackingStore => ({
      ...referenceBacking({ async: true, map: blobs }),
      announce: (notice) => bus.next({ from: me, notice }),
      remoteChanges: bus.pipe(
        filter((m) => m.from !== me),
        map((m) => m.notice),
      ),
    });
    const writer = createStore(shared(1));
    const reader = createStore(shared(2));
    const inA = record(reader.scope('a').changes());
    const inRoot = record(reader.changes());
    const watched = record(reader.scope('a').watch('k'));
    await watched.until(1);
    await run(writer.scope('b').assoc('k', 'b'));
    await run(writer.assoc('k', 'root'));
    await run(writer.scope('a').assoc('k', 'a'));
    await inA.until(1);
    await inRoot.until(1);
    expect(await watched.until(2)).toEqual([undefined, 'a']);
    expect(inA.values.map((e) => e.value)).toEqual(['a']);
    expect(inRoot.values.map((e) => e.value)).toEqual(['root']);
    for (const r of [inA, inRoot, watched]) r.stop();
  });
});

describe('scopes through toAsync, and storeId', () => {
  it('toAsync(store).scope(name) is the scope through Promises', async () => {
    const store = toAsync(createStore(referenceBacking()));
    await store.scope('a').assoc('k', 1);
    expect(await store.scope('a').get('k')).toBe(1);
    expect(await store.get('k')).toBeUndefined();
  });

  it('storeId is the option given, shared by scopes; anything but a non-empty string is refused', () => {
    const store = createStore(referenceBacking(), { storeId: 'replica-1' });
    expect(store.storeId).toBe('replica-1');
    expect(store.scope('a').scope('b').storeId).toBe('replica-1');
    expect(createStore(referenceBacking()).storeId).toBeUndefined();
    for (const bad of ['', 7]) {
      expect(() => createStore(referenceBacking(), { storeId: bad as string })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
  });
});
