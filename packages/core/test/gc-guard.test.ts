/**
 * konserve's lost-value race across writers: a writer stores a new value, then the pointer to it,
 * while a sweep that marked the reachable keys before runs. A time cutoff (`olderThan`) decides by
 * `lastWrite`, which comes from the writer's clock: a writer whose clock lags the sweeper's writes
 * a value that looks older than the cutoff, and the sweep takes it. A guard (a `keep` predicate,
 * asked again under the key's write lock right before deleting) that keeps every key not seen as
 * it was at the mark needs no clock, and keeps it.
 */
import { describe, expect, it } from '@jest/globals';
import { collect, run } from '@konserve-rx/core/testing';
import { createStore, safePoint, sweep, type Key, type Meta, type Store, type SweepOptions } from '../src';
import { referenceBacking } from './reference-backing';

/** The sweeper's store and a writer's store over one backing, each with its own clock. */
function twoWriters(async: boolean): { sweeper: Store; writer: Store; clocks: { sweeper: number; writer: number } } {
  const map = new Map<string, Uint8Array>();
  const clocks = { sweeper: 1000, writer: 1000 };
  return {
    sweeper: createStore(referenceBacking({ async, map }), { now: () => clocks.sweeper }),
    writer: createStore(referenceBacking({ async, map }), { now: () => clocks.writer }),
    clocks,
  };
}

/** What the sweeper saw at its mark: each key's lastWrite then. */
async function markOf(store: Store): Promise<Map<string, number>> {
  const metas = await collect(store.keys());
  return new Map(metas.map((m) => [JSON.stringify(m.key), m.lastWrite.getTime()]));
}

/** Keeps the reachable keys, and every key written since the mark (absent then, or rewritten). */
function guardOf(marked: ReadonlyMap<string, number>, reachable: readonly Key[]): (key: Key, meta: Meta) => boolean {
  const live = new Set(reachable.map((k) => JSON.stringify(k)));
  return (key, meta) => live.has(JSON.stringify(key)) || marked.get(JSON.stringify(key)) !== meta.lastWrite.getTime();
}

describe.each([
  ['sync', false],
  ['async', true],
])('gc safe point across writers (%s backing)', (_label, async) => {
  const raceWith = async (options: (mark: { point: Date; marked: Map<string, number>; reachable: Key[] }) => SweepOptions): Promise<unknown> => {
    const { sweeper, writer, clocks } = twoWriters(async);
    await run(writer.assoc('v1', 'old'));
    await run(writer.assoc('root', 'v1'));
    clocks.sweeper = 2000;
    // the writer's clock lags the sweeper's by a second (another machine)
    clocks.writer = 1500;
    // mark: the safe point and what is reachable from the root
    const point = safePoint(sweeper);
    const marked = await markOf(sweeper);
    const reachable: Key[] = ['root', (await run(sweeper.get('root'))) as string];
    // the writer stores the new value ...
    await run(writer.assoc('v2', 'new'));
    // ... the sweep that marked before runs ...
    await collect(sweep(sweeper, options({ point, marked, reachable })));
    // ... and the writer points to its value
    await run(writer.assoc('root', 'v2'));
    return run(sweeper.get((await run(sweeper.get('root'))) as string));
  };

  it('a time safe point loses the value of a writer whose clock lags (the race)', async () => {
    expect(await raceWith(({ point, reachable }) => ({ keep: reachable, olderThan: point }))).toBeUndefined();
  });

  it('a guard that keeps what was written since the mark keeps it', async () => {
    expect(await raceWith(({ marked, reachable }) => ({ keep: guardOf(marked, reachable) }))).toBe('new');
  });

  it('the guard still collects what was unreachable at the mark and not written since', async () => {
    const { sweeper, clocks } = twoWriters(async);
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
