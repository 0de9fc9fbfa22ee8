/**
 * Lifecycle: `close()` emits `undefined` and completes, waits for operations already running,
 * and may be called twice. Every public method is registered with {@link closedTrait}, which
 * asserts `ERR_CLOSED` after `close()` and while `close()` is still in progress.
 */
import type { Observable } from 'rxjs';
import type { Store } from '../store-api';
import type { ComplianceContext } from './context';
import { collect, errorOf, gate, run, start } from './util';

/**
 * Registers the closed-store trait for one operation: once the store is closed (or closing),
 * `run(store)` errors with `ERR_CLOSED`, and it never throws synchronously.
 * @param ctx - the compliance context
 * @param opName - the method's name, shown in the test names
 * @param op - starts the operation on the given store
 */
export function closedTrait(ctx: ComplianceContext, opName: string, op: (store: Store) => Observable<unknown>): void {
  const { it, expect } = ctx.harness;
  it(`${opName} errors with ERR_CLOSED after close()`, async () => {
    const { store } = ctx;
    await ctx.close();
    let obs: Observable<unknown> | undefined;
    expect(() => {
      obs = op(store);
    }).not.toThrow();
    expect((await errorOf(obs!)).code).toBe('ERR_CLOSED');
  });

  it(`${opName} errors with ERR_CLOSED while close() waits for a running operation`, async () => {
    const { store } = ctx;
    await run(store.bassoc('busy', new Uint8Array([1])));
    const hold = gate();
    const held = start(store.bget('busy', () => hold.promise.then(() => 'done')));
    const closing = ctx.close();
    const err = await errorOf(op(store));
    hold.open();
    expect(err.code).toBe('ERR_CLOSED');
    expect(await held).toBe('done');
    await closing;
  });
}

/** Every public method, started with valid arguments. */
const OPERATIONS: [string, (s: Store) => Observable<unknown>][] = [
  ['exists', (s) => s.exists('k')],
  ['get', (s) => s.get('k')],
  ['getIn', (s) => s.getIn(['k', 'a'])],
  ['getMeta', (s) => s.getMeta('k')],
  ['assoc', (s) => s.assoc('k', 1)],
  ['assocIn', (s) => s.assocIn(['k', 'a'], 1)],
  ['update', (s) => s.update('k', () => 1)],
  ['updateIn', (s) => s.updateIn(['k', 'a'], () => 1)],
  ['dissoc', (s) => s.dissoc('k')],
  ['bassoc', (s) => s.bassoc('k', new Uint8Array([1]))],
  ['bget', (s) => s.bget('k', (b) => b.bytes())],
  ['keys', (s) => s.keys()],
  ['clear', (s) => s.clear()],
  ['count', (s) => s.count()],
  ['multiGet', (s) => s.multiGet(['k'])],
  ['multiAssoc', (s) => s.multiAssoc([['k', 1]])],
  ['multiDissoc', (s) => s.multiDissoc(['k'])],
  ['append', (s) => s.append('k', 1)],
  ['log', (s) => s.log('k')],
  ['reduceLog', (s) => s.reduceLog('k', (a: number) => a, 0)],
  ['changes', (s) => s.changes()],
  ['watch', (s) => s.watch('k')],
];

/**
 * Registers the lifecycle tests and the closed trait of every method.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function lifecycleTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('lifecycle', () => {
    it('close() emits undefined and completes', async () => {
      expect(await ctx.close()).toEqual([undefined]);
    });

    it('closing twice is fine', async () => {
      const { store } = ctx;
      await ctx.close();
      expect(await collect(store.close())).toEqual([undefined]);
    });

    it('an operation subscribed before close() still completes normally', async () => {
      const { store } = ctx;
      await run(store.assoc('k', 'old'));
      const write = start(store.assoc('k', 'new'));
      const update = start(store.update('n', () => 1));
      const read = start(store.get('k'));
      await ctx.close();
      expect(await write).toMatchObject({ key: 'k', type: 'value' });
      expect(await update).toEqual({ old: undefined, new: 1 });
      expect(await read).toBe('new');
    });

    it('a bget read function running at close() finishes before close() completes', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', new Uint8Array([1, 2])));
      let finished = false;
      const reading = start(
        store.bget('bin', async (b) => {
          const bytes = await b.bytes();
          finished = true;
          return bytes.length;
        }),
      );
      await ctx.close();
      expect(finished).toBe(true);
      expect(await reading).toBe(2);
    });

    describe('every method errors with ERR_CLOSED once the store is closed', () => {
      for (const [name, op] of OPERATIONS) closedTrait(ctx, name, op);
    });
  });
}
