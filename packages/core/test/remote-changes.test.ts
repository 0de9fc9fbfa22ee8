/**
 * The cross-instance change hook: writes announced by one Store's backing arrive on another
 * Store's `changes()` and `watch()` with the same WriteEvent shape, re-read only while listened to.
 */
import { describe, expect, it } from '@jest/globals';
import { Subject, filter, firstValueFrom, map, take, toArray } from 'rxjs';
import { aesGcmEncryptor, createStore, type BackingStore, type ChangeNotice, type Store, type StoreOptions } from '../src';
import { encodeMeta } from '../src/format/meta';
import { referenceBacking } from '../src/testing/reference-backing';

interface Shared {
  map: Map<string, Uint8Array>;
  bus: Subject<{ origin: number; notice: ChangeNotice }>;
  reads: number;
}

let origins = 0;

/** A reference backing over a shared Map, announcing on a shared in-memory bus. */
function sharedBacking(shared: Shared, announce?: (n: ChangeNotice) => void): BackingStore {
  const inner = referenceBacking({ async: true, map: shared.map });
  const origin = ++origins;
  return {
    ...inner,
    read: (id) => (shared.reads++, inner.read(id)),
    announce: announce ?? ((notice) => shared.bus.next({ origin, notice })),
    remoteChanges: shared.bus.pipe(
      filter((m) => m.origin !== origin),
      map((m) => m.notice),
    ),
  };
}

function pair(options: StoreOptions = {}): { a: Store; b: Store; shared: Shared } {
  const shared: Shared = { map: new Map(), bus: new Subject(), reads: 0 };
  return { a: createStore(sharedBacking(shared), options), b: createStore(sharedBacking(shared), options), shared };
}

describe('remote changes (BackingStore.announce / remoteChanges)', () => {
  it('emits another instance’s writes on changes() with the same WriteEvent shape as local ones', async () => {
    const { a, b } = pair();
    const local = firstValueFrom(a.changes().pipe(take(3), toArray()));
    const remote = firstValueFrom(b.changes().pipe(take(3), toArray()));
    await firstValueFrom(a.assoc('k', { n: 1 }, { meta: { by: 'a' } }));
    await firstValueFrom(a.assocIn(['k', 'n'], 2));
    await firstValueFrom(a.dissoc('k'));
    const [mine, theirs] = await Promise.all([local, remote]);
    expect(theirs.map((e) => e.op)).toEqual(['assoc', 'assocIn', 'dissoc']);
    expect(theirs[0]).toEqual(mine[0]);
    expect(theirs[1]).toMatchObject({ op: 'assocIn', key: 'k', path: ['k', 'n'], value: { n: 2 }, meta: mine[1]!.meta });
    expect(theirs[1]!.old).toBeUndefined();
    expect(theirs[2]).toEqual(mine[2]);
  });

  it("an assoc's notice carries the Meta's bytes from its blob, equal to encoding the Meta, for every kind of Meta", async () => {
    const notices: ChangeNotice[] = [];
    const store = createStore(sharedBacking({ map: new Map(), bus: new Subject(), reads: 0 }, (n) => notices.push(n)));
    const metas = [
      await firstValueFrom(store.assoc('plain', 1)),
      await firstValueFrom(store.assoc('with fields', 2, { meta: { by: 'a', n: 3 } })),
      await firstValueFrom(store.assoc(['structured', 1], 3, { ttl: 60_000 })),
    ];
    expect(notices.map((n) => n.op)).toEqual(['assoc', 'assoc', 'assoc']);
    notices.forEach((n, i) => expect([...n.meta]).toEqual([...encodeMeta(metas[i]!)]));
  });

  it('never echoes a store’s own writes back to it', async () => {
    const { a } = pair();
    const events = firstValueFrom(a.changes().pipe(take(2), toArray()));
    await firstValueFrom(a.assoc('x', 1));
    await firstValueFrom(a.assoc('y', 2));
    expect((await events).map((e) => e.key)).toEqual(['x', 'y']);
  });

  it('feeds watch(): updates, appends (element and head) and deletes of another instance', async () => {
    const { a, b } = pair();
    await firstValueFrom(a.assoc('w', 1));
    const watched = firstValueFrom(b.watch('w').pipe(take(3), toArray()));
    const log = firstValueFrom(
      b.changes().pipe(
        filter((e) => e.op === 'append'),
        take(2),
        toArray(),
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    await firstValueFrom(a.update('w', (v) => (v as number) + 1));
    await firstValueFrom(a.dissoc('w'));
    await firstValueFrom(a.append('log', 'first'));
    await firstValueFrom(a.append('log', 'second'));
    expect(await watched).toEqual([1, 2, undefined]);
    expect((await log).map((e) => e.value)).toEqual(['first', 'second']);
  });

  it('carries the element of another instance’s append in an encrypted store (elements are encrypted for their place)', async () => {
    const { a, b } = pair({ encryptor: aesGcmEncryptor({ key: new Uint8Array(32).fill(3) }) });
    const remote = firstValueFrom(b.changes().pipe(take(2), toArray()));
    await firstValueFrom(a.append('log', 'first'));
    await firstValueFrom(a.append('log', { second: 2 }));
    expect((await remote).map((e) => e.value)).toEqual(['first', { second: 2 }]);
  });

  it('re-reads nothing while nobody listens', async () => {
    const { a, shared } = pair();
    await firstValueFrom(a.assoc('quiet', 1));
    await firstValueFrom(a.update('quiet', () => 2));
    expect(shared.reads).toBe(1);
  });

  it('a throwing announce never fails the write', async () => {
    const shared: Shared = { map: new Map(), bus: new Subject(), reads: 0 };
    const store = createStore(
      sharedBacking(shared, () => {
        throw new Error('bus down');
      }),
    );
    await firstValueFrom(store.assoc('k', 'kept'));
    expect(await firstValueFrom(store.get('k'))).toBe('kept');
  });
});
