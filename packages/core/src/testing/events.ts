/**
 * `changes()`: a hot stream of one `WriteEvent` per committed write, shaped per operation, with
 * no event for failed writes or deletes of missing keys; it completes on close. Also checks that
 * operations are cold: nothing happens before subscribing, and each subscription writes again.
 * To prove an event did NOT happen, each test ends with a sentinel write and compares the list.
 */
import type { WriteEvent } from '../store-api';
import type { ComplianceContext } from './context';
import { failure, record, run, settle } from './util';

const SENTINEL = '__sentinel__';
const isSentinel = (e: WriteEvent) => e.key === SENTINEL;

/**
 * Registers the change-event tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function eventTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  const metaOf = (key: unknown, type?: string) => expect.objectContaining(type ? { key, type } : { key });
  describe('changes()', () => {
    /** Records changes, runs `act`, then a sentinel write, and returns the events before the sentinel. */
    const eventsOf = async (act: () => Promise<unknown>): Promise<WriteEvent[]> => {
      const rec = record(ctx.store.changes());
      await act();
      await run(ctx.store.assoc(SENTINEL, 0));
      const all = await rec.when((events) => events.some(isSentinel));
      rec.stop();
      return all.slice(0, all.findIndex(isSentinel));
    };

    it('assoc emits {op: "assoc", key, value, meta}', async () => {
      const events = await eventsOf(() => run(ctx.store.assoc({ id: 1 }, { a: 1 }, { meta: { owner: 'me' } })));
      expect(events).toEqual([
        expect.objectContaining({
          op: 'assoc',
          key: { id: 1 },
          value: { a: 1 },
          meta: expect.objectContaining({ key: { id: 1 }, type: 'value', owner: 'me' }),
        }),
      ]);
      expect(events[0]!.meta.lastWrite).toBeInstanceOf(Date);
    });

    it('update emits {op: "update", key, value: new, old, meta}', async () => {
      await run(ctx.store.assoc('n', 1));
      const events = await eventsOf(() => run(ctx.store.update('n', (n) => (n as number) + 1)));
      expect(events).toEqual([expect.objectContaining({ op: 'update', key: 'n', value: 2, old: 1, meta: metaOf('n', 'value') })]);
    });

    it('assocIn and updateIn emit their path and the old and new top-level values', async () => {
      await run(ctx.store.assoc('d', { a: { b: 1 } }));
      const events = await eventsOf(async () => {
        await run(ctx.store.assocIn(['d', 'a', 'c'], 2));
        await run(ctx.store.updateIn(['d', 'a', 'b'], (n) => (n as number) + 10));
      });
      expect(events).toEqual([
        expect.objectContaining({ op: 'assocIn', key: 'd', path: ['d', 'a', 'c'], old: { a: { b: 1 } }, value: { a: { b: 1, c: 2 } }, meta: metaOf('d') }),
        expect.objectContaining({
          op: 'updateIn',
          key: 'd',
          path: ['d', 'a', 'b'],
          old: { a: { b: 1, c: 2 } },
          value: { a: { b: 11, c: 2 } },
          meta: metaOf('d'),
        }),
      ]);
    });

    it('dissoc emits {op: "dissoc", key, meta} only when the key existed', async () => {
      await run(ctx.store.assoc('k', 1));
      const events = await eventsOf(async () => {
        await run(ctx.store.dissoc('k'));
        await run(ctx.store.dissoc('k'));
        await run(ctx.store.dissoc('never'));
      });
      expect(events).toEqual([expect.objectContaining({ op: 'dissoc', key: 'k', meta: metaOf('k') })]);
    });

    it('bassoc emits {op: "bassoc", key, meta} and append emits the element as value', async () => {
      const events = await eventsOf(async () => {
        await run(ctx.store.bassoc('bin', new Uint8Array([1, 2])));
        await run(ctx.store.append('log', { e: 1 }));
      });
      expect(events).toEqual([
        expect.objectContaining({ op: 'bassoc', key: 'bin', meta: metaOf('bin', 'binary') }),
        expect.objectContaining({ op: 'append', key: 'log', value: { e: 1 }, meta: metaOf('log', 'append-log') }),
      ]);
    });

    it('multiAssoc emits one "multiAssoc" event per key; multiDissoc one per existing key', async () => {
      const events = await eventsOf(async () => {
        await run(
          ctx.store.multiAssoc([
            ['a', 1],
            ['b', 2],
          ]),
        );
        await run(ctx.store.multiDissoc(['a', 'missing']));
      });
      expect(events).toHaveLength(3);
      expect(events.slice(0, 2)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ op: 'multiAssoc', key: 'a', value: 1, meta: metaOf('a') }),
          expect.objectContaining({ op: 'multiAssoc', key: 'b', value: 2, meta: metaOf('b') }),
        ]),
      );
      expect(events[2]).toEqual(expect.objectContaining({ op: 'multiDissoc', key: 'a', meta: metaOf('a') }));
    });

    it('failed writes emit no event', async () => {
      await run(ctx.store.assoc('k', 1));
      const events = await eventsOf(async () => {
        await failure(ctx.store.assoc('k', () => 1));
        await failure(
          ctx.store.update('k', () => {
            throw new Error('domain');
          }),
        );
        await failure(ctx.store.assocIn(['k', 'x'], 1));
        await failure(ctx.store.assoc(null as never, 1));
        await failure(ctx.store.append('k', 1));
      });
      expect(events).toEqual([]);
    });

    it('changes() is hot: writes made before subscribing are not replayed', async () => {
      await run(ctx.store.assoc('before', 1));
      const events = await eventsOf(() => run(ctx.store.assoc('after', 2)));
      expect(events.map((e) => e.key)).toEqual(['after']);
    });

    it('changes() completes when the store closes', async () => {
      const rec = record(ctx.store.changes());
      await ctx.close();
      await rec.completed();
      expect(rec.error()).toBeUndefined();
    });

    it('an operation is cold: calling assoc without subscribing writes nothing', async () => {
      const events = await eventsOf(async () => {
        ctx.store.assoc('lazy', 1);
        ctx.store.update('lazy', () => 2);
        await settle();
      });
      expect(events).toEqual([]);
      expect(await run(ctx.store.exists('lazy'))).toBe(false);
    });

    it('subscribing to one assoc twice writes twice (two change events)', async () => {
      const write = ctx.store.assoc('twice', 'v');
      const events = await eventsOf(async () => {
        await run(write);
        await run(write);
      });
      expect(events.map((e) => [e.op, e.key])).toEqual([
        ['assoc', 'twice'],
        ['assoc', 'twice'],
      ]);
    });
  });
}
