/**
 * Binaries from sources that fail: a `bassoc` whose Readable (on Node) or async iterable errors (before
 * core reads it, while it is queued behind the key's lock, after a few chunks) fails with that
 * very error as an `error` notification (never an uncaught 'error' event), stores nothing, and
 * leaves the old value readable. A Readable whose bassoc is abandoned before it starts is
 * destroyed, so its file handle is not left open.
 */
import type { BinaryInput, Store } from '../store-api';
import type { ComplianceContext } from './context';
import { eachIt, type ExpectLike } from './harness';
import { describeOnNode, nodeSources, type NodeSources } from './node-sources';
import { failure, gate, listIds, run } from './util';

const OLD = new Uint8Array([7, 7, 7]);

/** A Readable that emits `chunks` chunks (when read), then errors with `error`. */
function failingAfter({ Readable }: NodeSources, chunks: number, error: Error): NodeJS.ReadableStream {
  let sent = 0;
  return new Readable({
    read() {
      if (sent < chunks) this.push(new Uint8Array([sent++]));
      else this.destroy(error);
    },
  });
}

/** A Readable that is never read from and errors on the next turn of the event loop. */
function erroringSoon({ Readable }: NodeSources, error: Error, when: 'nextTick' | 'setImmediate'): NodeJS.ReadableStream {
  const r = new Readable({
    read() {
      /* never produces */
    },
  });
  if (when === 'nextTick') r.destroy(error);
  else setImmediate(() => r.destroy(error));
  return r;
}

async function* throwingGenerator(chunks: number, error: Error): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < chunks; i++) yield new Uint8Array([i]);
  throw error;
}

/** A failing source, made fresh per use, with whether the caller sees their own error (unwrapped). */
type FailingSource = [label: string, make: (e: Error, node: NodeSources) => BinaryInput, own: boolean];

/** Failing sources any platform has. */
const FAILING: FailingSource[] = [
  ['an async generator that throws before its first chunk', (e) => throwingGenerator(0, e), true],
  ['an async generator that throws after two chunks', (e) => throwingGenerator(2, e), true],
];

/** Failing Node sources (the read stream of a missing file errors ENOENT, not the caller's error). */
const FAILING_ON_NODE: FailingSource[] = [
  ['a read stream of a missing file (errors ENOENT before any read)', (_e, node) => node.createReadStream(node.missingFile), false],
  ['a Readable destroyed with an error before core reads it', (e, node) => erroringSoon(node, e, 'nextTick'), true],
  ['a Readable that errors on a later turn, before or while core reads it', (e, node) => erroringSoon(node, e, 'setImmediate'), true],
  ['a Readable that errors after three chunks', (e, node) => failingAfter(node, 3, e), true],
];

/** Writes the old value, then expects `data` to fail the bassoc with `expected` (or an ENOENT error) and change nothing. */
async function failsAndKeepsOld(expect: ExpectLike, store: Store, data: BinaryInput, expected: Error, own: boolean): Promise<void> {
  const err = await failure(store.bassoc('bin', data));
  if (own) expect(err).toBe(expected);
  else expect(err).toMatchObject({ code: 'ENOENT' });
  expect(Array.from((await run(store.bget('bin', (b) => b.bytes())))!)).toEqual(Array.from(OLD));
}

/**
 * Registers the failing-source tests of `bassoc`.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function binarySourceTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  const failsWithOwnError = (table: FailingSource[], node: () => Promise<NodeSources> | undefined) =>
    eachIt(it, table, "bassoc of %s fails with the caller's own error (not ERR_IO); the old value stays", async (_label, make, own) => {
      const { store } = ctx;
      await run(store.bassoc('bin', OLD));
      const ids = await listIds(store.backing);
      const mine = new Error('source failed');
      await failsAndKeepsOld(expect, store, make(mine, (await node())!), mine, own);
      expect(await listIds(store.backing)).toEqual(ids);
    });
  describe('binary: failing sources', () => failsWithOwnError(FAILING, () => undefined));
  describeOnNode(describe, 'binary: failing Node sources', () => {
    failsWithOwnError(FAILING_ON_NODE, nodeSources);

    it('bassoc queued behind a reader fails with the error its Readable emitted while waiting', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', OLD));
      const reading = gate();
      const held = gate();
      const reader = run(store.bget('bin', () => (reading.open(), held.promise)));
      await reading.promise;
      const mine = new Error('failed while queued');
      const { Readable } = await nodeSources();
      const source = new Readable({
        read() {
          /* never produces */
        },
      });
      const result = failure(store.bassoc('bin', source));
      source.destroy(mine);
      await new Promise<void>((resolve) => source.once('close', resolve));
      held.open();
      await reader;
      expect(await result).toBe(mine);
      expect(Array.from((await run(store.bget('bin', (b) => b.bytes())))!)).toEqual(Array.from(OLD));
    });

    it('a bassoc left while queued destroys its Readable (no file handle stays open) and writes nothing', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', OLD));
      const reading = gate();
      const held = gate();
      const reader = run(store.bget('bin', () => (reading.open(), held.promise)));
      await reading.promise;
      const { Readable } = await nodeSources();
      const source = new Readable({
        read() {
          /* never produces */
        },
      });
      store
        .bassoc('bin', source)
        .subscribe({ error: () => undefined })
        .unsubscribe();
      expect(source.destroyed).toBe(true);
      held.open();
      await reader;
      expect(Array.from((await run(store.bget('bin', (b) => b.bytes())))!)).toEqual(Array.from(OLD));
    });
  });
}
