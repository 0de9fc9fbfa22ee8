/**
 * konserve's lost-value race: a writer stores a new value, then the pointer to it. A mark that
 * runs in between sees the value reachable from nothing; the value was written before the sweep
 * began, so the sweep's cutoff does not spare it, and the pointer then lands on a deleted value.
 * `unreferencedWrites` (konserve's gc guard) holds every sweep's cutoff at the start of the
 * sequence until its pointer is written. Also: with writers on other machines, whose clocks the
 * cutoff cannot trust, a `keep` guard that keeps what was written since the mark.
 */
import { describe, expect, it } from '@jest/globals';
import { collect, errorOf, gate, run } from '@konserve-rx/core/testing';
import { createStore, safePoint, sweep, unreferencedWrites, type Key, type Meta, type Store, type SweepOptions } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

/** Two Stores over one backing (two connections to one store), each with its own clock. */
function twoStores(async: boolean, storeIds: [string?, string?] = []): { sweeper: Store; writer: Store; clocks: { sweeper: number; writer: number } } {
  const map = new Map<string, Uint8Array>();
  const clocks = { sweeper: 1000, writer: 1000 };
  const open = (now: () => number, storeId?: string): Store =>
    createStore(referenceBacking({ async, map }), { now, ...(storeId === undefined ? {} : { storeId }) });
  return { sweeper: open(() => clocks.sweeper, storeIds[0]), writer: open(() => clocks.writer, storeIds[1]), clocks };
}

describe.each([
  ['sync', false],
  ['async', true],
])('the gc guard (%s backing)', (_label, async) => {
  // a fresh store id per store pair: the guard's state is per process, keyed by it
  let ids = 0;
  const pair = (sameId = true): ReturnType<typeof twoStores> => {
    const id = `db-${async}-${++ids}`;
    return twoStores(async, [sameId ? id : `${id}-other`, id]);
  };

  /**
   * The writer writes v2, then (once the sweeper has marked and swept) points the root to it; in
   * scope `scope` of both stores when given.
   * @returns what the root points to after both finished
   */
  const race = async (stores: ReturnType<typeof twoStores>, guarded: boolean, scope?: string): Promise<unknown> => {
    const { clocks } = stores;
    const [writer, sweeper] = scope === undefined ? [stores.writer, stores.sweeper] : [stores.writer.scope(scope), stores.sweeper.scope(scope)];
    await run(writer.assoc('v1', 'old'));
    await run(writer.assoc('root', 'v1'));
    const written = gate();
    const pointer = gate();
    const sequence = async (): Promise<void> => {
      await run(writer.assoc('v2', 'new'));
      written.open();
      await pointer.promise;
      await run(writer.assoc('root', 'v2'));
    };
    const done = guarded ? run(unreferencedWrites(writer, sequence)) : sequence();
    await written.promise;
    clocks.sweeper = clocks.writer = 2000;
    // the mark: what the root reaches now (v2 is not pointed to yet), then the sweep
    const reachable: Key[] = ['root', (await run(sweeper.get('root'))) as string];
    await collect(sweep(sweeper, { keep: reachable }));
    pointer.open();
    await done;
    return run(sweeper.get((await run(sweeper.get('root'))) as string));
  };

  it('without the guard the sweep takes a value written before it began, and the pointer dangles', async () => {
    expect(await race(pair(), false)).toBeUndefined();
  });

  it('with the guard the value survives, for every Store with the same storeId', async () => {
    expect(await race(pair(), true)).toBe('new');
  });

  it('guards the scopes of the store; not a store with another id', async () => {
    expect(await race(pair(), true, 'tenant')).toBe('new');
    expect(await race(pair(false), true)).toBeUndefined();
  });

  it('without a storeId the guard holds for the Store it was taken on', async () => {
    const stores = twoStores(async);
    expect(await race({ ...stores, sweeper: stores.writer }, true)).toBe('new');
  });

  it('a sequence ends with its work, by error or by unsubscription: then sweeps go on from now', async () => {
    const { writer, clocks } = pair();
    const open = gate();
    const sub = unreferencedWrites(writer, () => open.promise).subscribe();
    clocks.writer = 5000;
    expect(safePoint(writer).getTime()).toBe(1000);
    sub.unsubscribe();
    expect(safePoint(writer).getTime()).toBe(5000);
    expect((await errorOf(unreferencedWrites(writer, () => writer.get(Symbol('not a key') as never)))).code).toBe('ERR_INVALID_KEY');
    clocks.writer = 6000;
    expect(safePoint(writer).getTime()).toBe(6000);
    await run(unreferencedWrites(writer, () => writer.assoc('k', 1)));
    clocks.writer = 7000;
    expect(safePoint(writer).getTime()).toBe(7000);
    expect((await errorOf(unreferencedWrites({} as Store, () => []))).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe.each([
  ['sync', false],
  ['async', true],
])('a keep guard across machines (%s backing)', (_label, async) => {
  /** What the sweeper saw at its mark: each key's lastWrite then. */
  const markOf = async (store: Store): Promise<Map<string, number>> =>
    new Map((await collect(store.keys())).map((m) => [JSON.stringify(m.key), m.lastWrite.getTime()]));

  /** Keeps the reachable keys, and every key written since the mark (absent then, or rewritten). */
  const guardOf =
    (marked: ReadonlyMap<string, number>, reachable: readonly Key[]) =>
    (key: Key, meta: Meta): boolean =>
      reachable.some((k) => JSON.stringify(k) === JSON.stringify(key)) || marked.get(JSON.stringify(key)) !== meta.lastWrite.getTime();

  const raceWith = async (options: (mark: { point: Date; marked: Map<string, number>; reachable: Key[] }) => SweepOptions): Promise<unknown> => {
    const { sweeper, writer, clocks } = twoStores(async);
    await run(writer.assoc('v1', 'old'));
    await run(writer.assoc('root', 'v1'));
    clocks.sweeper = 2000;
    // the writer's clock lags the sweeper's by a second (another machine)
    clocks.writer = 1500;
    const point = safePoint(sweeper);
    const marked = await markOf(sweeper);
    const reachable: Key[] = ['root', (await run(sweeper.get('root'))) as string];
    await run(writer.assoc('v2', 'new'));
    await collect(sweep(sweeper, options({ point, marked, reachable })));
    await run(writer.assoc('root', 'v2'));
    return run(sweeper.get((await run(sweeper.get('root'))) as string));
  };

  it('a time safe point loses the value of a writer whose clock lags', async () => {
    expect(await raceWith(({ point, reachable }) => ({ keep: reachable, olderThan: point }))).toBeUndefined();
  });

  it('a guard that keeps what was written since the mark keeps it', async () => {
    expect(await raceWith(({ marked, reachable }) => ({ keep: guardOf(marked, reachable) }))).toBe('new');
  });

  it('the guard still collects what was unreachable at the mark and not written since', async () => {
    const { sweeper, clocks } = twoStores(async);
    await run(
      sweeper.multiAssoc([
        ['garbage', 1],
        ['root', 'kept'],
      ]),
    );
    clocks.sweeper = 2000;
    const marked = await markOf(sweeper);
    const events = await collect(sweep(sweeper, { keep: guardOf(marked, ['root']) }));
    expect(events.map((e) => e.deleted)).toEqual(['garbage']);
    expect(await run(sweeper.get('root'))).toBe('kept');
  });
});
