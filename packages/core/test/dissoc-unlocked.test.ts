/**
 * `dissoc` in one step (`BackingStore.deleteIfUnlocked`): core offers the delete to a backing that
 * can check its lock with it, learns the key's Meta and an append log's elements from the bytes it
 * deleted, and takes the lock as before when the backing declines (lock held, a blob that can
 * expire). The backing here is the reference one with a lock flag, `readHead` and
 * `deleteIfUnlocked` written from the contract, sharing notices with a second store over an
 * in-memory bus.
 */
import { describe, expect, it } from '@jest/globals';
import { Subject, filter, firstValueFrom, map, toArray } from 'rxjs';
import { BLIND_DELETE_FORMAT, createStore, type BackingStore, type ChangeNotice, type DeletionNotice, type ReleaseLock, type Store } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

interface Shared {
  map: Map<string, Uint8Array>;
  bus: Subject<{ origin: number; notice: ChangeNotice }>;
  calls: string[];
  /** Whether another holder has the lock (every id). */
  held: boolean;
  /** The length of each blob `deleteIfUnlocked` handed back. */
  returned: number[];
}

let origins = 0;

/** `deleteIfUnlocked` as the contract states it, over the shared Map. */
function deleteIfUnlocked(shared: Shared, share: (n: ChangeNotice) => void) {
  return (id: string, notice?: DeletionNotice): Uint8Array | false | undefined => {
    shared.calls.push('deleteIfUnlocked');
    if (shared.held) return false;
    const bytes = shared.map.get(id);
    if (bytes === undefined) return undefined;
    const { heads, metaLengthAt, metaAt } = BLIND_DELETE_FORMAT;
    if (!heads.some((h) => h.every((b, i) => bytes[i] === b))) return false;
    const metaEnd = metaAt + new DataView(bytes.buffer, bytes.byteOffset).getUint32(metaLengthAt, true);
    if (bytes.length < metaEnd) return false;
    shared.map.delete(id);
    if (notice) share({ ...notice, meta: bytes.slice(metaAt, metaEnd) });
    // a large blob comes back as its header and meta only
    const out = bytes.length > BLIND_DELETE_FORMAT.wholeUpTo ? bytes.slice(0, metaEnd) : bytes;
    shared.returned.push(out.length);
    return out;
  };
}

function backing(shared: Shared): BackingStore {
  const inner = referenceBacking({ async: true, map: shared.map });
  const origin = ++origins;
  const share = (notice: ChangeNotice): void => shared.bus.next({ origin, notice });
  return {
    ...inner,
    // as Redis (GETRANGE), the one backing with deleteIfUnlocked: the locked path reads header and meta only
    readHead: (id: string, length: number) => shared.map.get(id)?.slice(0, length),
    capabilities: { ...inner.capabilities, multiProcess: true },
    lock: (): ReleaseLock => (shared.calls.push('lock'), () => undefined),
    deleteIfUnlocked: deleteIfUnlocked(shared, share),
    announce: share,
    remoteChanges: shared.bus.pipe(
      filter((m) => m.origin !== origin),
      map((m) => m.notice),
    ),
  };
}

function pair(now: () => number = Date.now): { a: Store; b: Store; shared: Shared } {
  const shared: Shared = { map: new Map(), bus: new Subject(), calls: [], held: false, returned: [] };
  return { a: createStore(backing(shared), { now }), b: createStore(backing(shared), { now }), shared };
}

const deletion = (s: Store) => firstValueFrom(s.changes().pipe(filter((e) => e.op === 'dissoc')));

describe('dissoc in one step (deleteIfUnlocked)', () => {
  it('deletes a value without the lock; both stores report the Meta it had, at the time of deletion', async () => {
    let now = Date.UTC(2030, 0, 1);
    const { a, b, shared } = pair(() => now);
    await firstValueFrom(a.assoc('k', 1, { meta: { by: 'a' } }));
    now += 60_000;
    const [local, remote] = [deletion(a), deletion(b)];
    shared.calls.length = 0;
    expect(await firstValueFrom(a.dissoc('k'))).toBe(true);
    expect(shared.calls).toEqual(['deleteIfUnlocked']);
    expect(shared.map.size).toBe(0);
    const meta = { key: 'k', type: 'value', by: 'a', lastWrite: new Date(now) };
    expect((await local).meta).toEqual(meta);
    expect((await remote).meta).toEqual(meta);
  });

  it('a large value comes back as its header and meta only, and both stores still report its Meta', async () => {
    let now = Date.UTC(2030, 0, 1);
    const { a, b, shared } = pair(() => now);
    await firstValueFrom(a.assoc('big', 'x'.repeat(300_000), { meta: { by: 'a' } }));
    now += 1000;
    const [local, remote] = [deletion(a), deletion(b)];
    expect(await firstValueFrom(a.dissoc('big'))).toBe(true);
    expect(shared.returned).toHaveLength(1);
    expect(shared.returned[0]).toBeLessThan(1000);
    expect(shared.map.size).toBe(0);
    // read from the prefix: without it the key would be reported as a damaged one (no `by`)
    const meta = { key: 'big', type: 'value', by: 'a', lastWrite: new Date(now) };
    expect((await local).meta).toEqual(meta);
    expect((await remote).meta).toEqual(meta);
  });

  it('a missing key: false, no lock and no event', async () => {
    const { a, shared } = pair();
    const first = firstValueFrom(a.changes());
    expect(await firstValueFrom(a.dissoc('none'))).toBe(false);
    expect(shared.calls).toEqual(['deleteIfUnlocked']);
    await firstValueFrom(a.assoc('end', 1));
    expect((await first).op).toBe('assoc');
  });

  it('takes the lock when the backing declines: the lock is held, or the key can expire', async () => {
    const { a, shared } = pair();
    await firstValueFrom(a.assoc('held', 1));
    await firstValueFrom(a.assoc('ttl', 1, { ttl: 60_000 }));
    shared.held = true;
    expect(await firstValueFrom(a.dissoc('held'))).toBe(true);
    shared.held = false;
    expect(await firstValueFrom(a.dissoc('ttl'))).toBe(true);
    expect(shared.calls.slice(-4)).toEqual(['deleteIfUnlocked', 'lock', 'deleteIfUnlocked', 'lock']);
    expect(shared.map.size).toBe(0);
  });

  it("deletes an append log's head, then its elements", async () => {
    const { a, shared } = pair();
    for (const n of [1, 2, 3]) await firstValueFrom(a.append('log', n));
    expect(shared.map.size).toBe(4);
    shared.calls.length = 0;
    expect(await firstValueFrom(a.dissoc('log'))).toBe(true);
    expect(shared.calls).toEqual(['deleteIfUnlocked']);
    expect(shared.map.size).toBe(0);
    expect(await firstValueFrom(a.log('log').pipe(toArray()))).toEqual([]);
  });

  it('a blob with a damaged value is deleted and reported with its own Meta, as the locked path reads it from the head', async () => {
    const reported = [];
    for (const held of [false, true]) {
      const { a, shared } = pair();
      await firstValueFrom(a.assoc('k', 'v', { meta: { by: 'a' } }));
      const [id, bytes] = [...shared.map][0]!;
      const damaged = bytes.slice();
      damaged[damaged.length - 1]! ^= 0xff;
      shared.map.set(id, damaged);
      shared.held = held;
      const local = deletion(a);
      expect(await firstValueFrom(a.dissoc('k'))).toBe(true);
      expect(shared.calls).toContain(held ? 'lock' : 'deleteIfUnlocked');
      expect(shared.map.size).toBe(0);
      reported.push((await local).meta);
    }
    // one step (the header and meta read from the deleted bytes) and the locked path alike
    for (const meta of reported) expect(meta).toMatchObject({ key: 'k', type: 'value', by: 'a' });
  });

  it('a blob whose meta is damaged is still deleted and reported with the Meta a damaged key gets', async () => {
    const { a, shared } = pair();
    await firstValueFrom(a.assoc('k', 'v', { meta: { by: 'a' } }));
    const [id, bytes] = [...shared.map][0]!;
    const damaged = bytes.slice();
    // a byte of the meta: the head checksum no longer matches
    damaged[BLIND_DELETE_FORMAT.metaAt + 2]! ^= 0xff;
    shared.map.set(id, damaged);
    const local = deletion(a);
    expect(await firstValueFrom(a.dissoc('k'))).toBe(true);
    expect(shared.calls.at(-1)).toBe('deleteIfUnlocked');
    expect(shared.map.size).toBe(0);
    const meta = (await local).meta;
    expect(meta).toMatchObject({ key: 'k', type: 'value' });
    expect(meta).not.toHaveProperty('by');
  });

  it("another store drops the notice of a deleted blob whose meta names another key than its id's", async () => {
    const { a, b, shared } = pair();
    await firstValueFrom(a.assoc('k', 1));
    const [id] = [...shared.map.keys()];
    await firstValueFrom(a.assoc('other', 2));
    const [otherId, otherBytes] = [...shared.map].find(([i]) => i !== id)!;
    // the blob of 'other' copied over the blob of 'k'
    shared.map.delete(otherId);
    shared.map.set(id!, otherBytes);
    const remote = firstValueFrom(b.changes());
    const local = deletion(a);
    expect(await firstValueFrom(a.dissoc('k'))).toBe(true);
    expect((await local).meta.key).toBe('k');
    await firstValueFrom(a.assoc('end', 1));
    expect((await remote).key).toBe('end');
  });
});
