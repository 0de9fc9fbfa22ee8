/** Garbage collection of internal blobs: append-log elements no log reaches are deleted, live ones never. */
import { describe, expect, it } from '@jest/globals';
import { collect, gate, listIds, run, start } from '@konserve-rx/core/testing';
import { createStore, sweep, type BackingStore, type Store, type SweepEvent } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

const KEEP_ALL = { keep: () => true } as const;
const orphansOf = (events: SweepEvent[]): string[] =>
  events
    .filter((e) => e.type === 'orphan')
    .map((e) => String(e.deleted))
    .sort();

/** A log of `n` elements under `key`; returns its head id and element ids. */
async function logOf(store: Store, key: string, n: number): Promise<{ head: string; elements: string[] }> {
  const before = new Set(await listIds(store.backing));
  for (let i = 0; i < n; i++) await run(store.append(key, `${key}-${i}`));
  const added = (await listIds(store.backing)).filter((id) => !before.has(id));
  const head = added.find((id) => !id.includes('.'))!;
  return { head, elements: added.filter((id) => id.includes('.')).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2])) };
}

describe.each([
  ['sync', false],
  ['async', true],
])('sweep of orphans (%s backing)', (_label, async) => {
  const fresh = (): Store => createStore(referenceBacking({ async }));

  it('leaves every element of a live log alone', async () => {
    const store = fresh();
    await logOf(store, 'log', 5);
    expect(await collect(sweep(store, KEEP_ALL))).toEqual([]);
    expect(await collect(store.log('log'))).toEqual(['log-0', 'log-1', 'log-2', 'log-3', 'log-4']);
  });

  it('deletes the elements of a log whose key now holds a plain value', async () => {
    const store = fresh();
    const { elements } = await logOf(store, 'log', 3);
    await run(store.assoc('log', 'no longer a log'));
    expect(orphansOf(await collect(sweep(store, KEEP_ALL)))).toEqual([...elements].sort());
    expect(await run(store.get('log'))).toBe('no longer a log');
  });

  it('deletes elements whose head is gone, of another generation, or past the count (a crashed append)', async () => {
    const store = fresh();
    const { head, elements } = await logOf(store, 'log', 2);
    const element = (await store.backing.read(elements[0]!))!;
    const gen = elements[0]!.split('.')[1]!;
    const staleGen = `${head}.${gen === 'aaaaaaaa' ? 'bbbbbbbb' : 'aaaaaaaa'}.0`;
    const pastCount = `${head}.${gen}.2`;
    const headless = `${'e'.repeat(64)}.${gen}.0`;
    for (const id of [staleGen, pastCount, headless]) await store.backing.write(id, element);
    const events = await collect(sweep(store, KEEP_ALL));
    expect(orphansOf(events)).toEqual([headless, pastCount, staleGen].sort());
    expect(events.map((e) => e.count)).toEqual([1, 2, 3]);
    expect(await collect(store.log('log'))).toEqual(['log-0', 'log-1']);
    // the next append reuses the index the crashed one left behind, as before
    await run(store.append('log', 'log-2'));
    expect(await collect(store.log('log'))).toEqual(['log-0', 'log-1', 'log-2']);
  });

  it('leaves internal blobs of an unknown kind under a live head, and skips orphans with orphans: false', async () => {
    const store = fresh();
    const { head } = await logOf(store, 'log', 1);
    await store.backing.write(`${head}.future-kind`, new Uint8Array([1]));
    await store.backing.write(`${head}.deadbeef.7`, new Uint8Array([1]));
    expect(await collect(sweep(store, { ...KEEP_ALL, orphans: false }))).toEqual([]);
    expect(orphansOf(await collect(sweep(store, KEEP_ALL)))).toEqual([`${head}.deadbeef.7`]);
    expect(await listIds(store.backing)).toContain(`${head}.future-kind`);
  });

  it('deletes keys first, then the orphans the deletion left, in one run', async () => {
    const store = fresh();
    const { head } = await logOf(store, 'log', 2);
    await store.backing.delete(head); // a head lost in a crash: its elements are unreachable
    await run(store.assoc('old', 1));
    const events = await collect(sweep(store, { olderThan: new Date(Date.now() + 60_000) }));
    expect(events.map((e) => e.type)).toEqual(['key', 'orphan', 'orphan']);
    expect(await listIds(store.backing)).toEqual([]);
  });

  it('never deletes the element of an append in flight', async () => {
    const store = fresh();
    await logOf(store, 'log', 1);
    const appends = Array.from({ length: 20 }, (_, i) => run(store.append('log', `more-${i}`)));
    const sweeps = Array.from({ length: 5 }, () => collect(sweep(store, { ...KEEP_ALL, batchSize: 2 })));
    await Promise.all([...appends, ...sweeps]);
    expect(await collect(store.log('log'))).toHaveLength(21);
    expect(orphansOf((await Promise.all(sweeps)).flat())).toEqual([]);
  });
});

describe('sweep of orphans racing an append', () => {
  it('waits for the append holding the log lock: the new element, written before its head, survives', async () => {
    const inner = referenceBacking({ async: true });
    let hold: { id: string; gate: ReturnType<typeof gate> } | undefined = undefined;
    const written: string[] = [];
    const backing: BackingStore = {
      ...inner,
      write: async (id, data) => {
        written.push(id);
        if (hold?.id === id) await hold.gate.promise;
        return inner.write(id, data);
      },
    };
    const store = createStore(backing);
    const { head } = await logOf(store, 'log', 1);
    hold = { id: head, gate: gate() };
    const append = start(store.append('log', 'second'));
    while (!written.includes(head)) await new Promise((r) => setTimeout(r, 1)); // element written, head held
    const swept = collect(sweep(store, KEEP_ALL));
    await new Promise((r) => setTimeout(r, 10));
    hold.gate.open(undefined);
    await append;
    expect(await swept).toEqual([]);
    expect(await collect(store.log('log'))).toEqual(['log-0', 'second']);
  });
});
