/**
 * Binaries: `bassoc` from bytes, strings, Node Readables and async iterables; `bget` hands its
 * `read` function a blob with `size`, `bytes()` and `stream()` and emits read's (last) result;
 * a 1 MiB payload round-trips exactly.
 */
import { of } from 'rxjs';
import type { BinaryBlob } from '../store-api';
import type { ComplianceContext } from './context';
import { describeOnNode, nodeSources } from './node-sources';
import { collect, concatBytes, errorOf, run, sameBytes, seededBytes } from './util';

const MiB = 1024 * 1024;
const bytesOf = (blob: BinaryBlob) => blob.bytes();
const u8 = (...xs: number[]) => new Uint8Array(xs);

async function* chunksOf(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/**
 * Registers the binary tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function binaryTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('binary', () => {
    it('bassoc of a Uint8Array emits Meta of type "binary"; bget reads size and bytes back', async () => {
      const { store } = ctx;
      const meta = await run(store.bassoc('bin', u8(1, 2, 3, 250)));
      expect(meta).toMatchObject({ key: 'bin', type: 'binary' });
      expect(meta.lastWrite).toBeInstanceOf(Date);
      expect(await run(store.bget('bin', (blob) => Promise.resolve(blob.size)))).toBe(4);
      expect(Array.from((await run(store.bget('bin', bytesOf)))!)).toEqual([1, 2, 3, 250]);
    });

    it('bassoc of a string stores its UTF-8 bytes', async () => {
      const { store } = ctx;
      await run(store.bassoc('s', 'héllo ✓'));
      const back = await run(store.bget('s', bytesOf));
      expect(Array.from(back!)).toEqual(Array.from(new TextEncoder().encode('héllo ✓')));
    });

    it('bassoc of an async iterable of Uint8Array stores the concatenated chunks', async () => {
      const { store } = ctx;
      await run(store.bassoc('it', chunksOf(u8(9, 8, 7, 6, 5), 2)));
      expect(Array.from((await run(store.bget('it', bytesOf)))!)).toEqual([9, 8, 7, 6, 5]);
    });

    it('bassoc of empty data stores a zero-size binary', async () => {
      const { store } = ctx;
      await run(store.bassoc('empty', new Uint8Array(0)));
      expect(await run(store.bget('empty', (b) => Promise.resolve(b.size)))).toBe(0);
      expect(await run(store.exists('empty'))).toBe(true);
    });

    it('bget emits what read returns, whether a Promise, an Observable or a plain value array', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', u8(1, 2, 3)));
      expect(await run(store.bget('bin', async (b) => (await b.bytes()).length * 10))).toBe(30);
      expect(await run(store.bget('bin', () => of('obs')))).toBe('obs');
      expect(await collect(store.bget('bin', () => ['first', 'last']))).toEqual(['last']);
    });

    it('bget of a missing key emits undefined and does not call read', async () => {
      let calls = 0;
      const result = await run(
        ctx.store.bget('missing', () => {
          calls++;
          return Promise.resolve('read');
        }),
      );
      expect(result).toBeUndefined();
      expect(calls).toBe(0);
    });

    it('get of a binary key emits its bytes as a Uint8Array', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', u8(4, 5, 6)));
      const back = await run(store.get('bin'));
      expect(back).toBeInstanceOf(Uint8Array);
      expect(Array.from(back as Uint8Array)).toEqual([4, 5, 6]);
    });

    it('bget of a key holding a plain value errors with ERR_INVALID_ARGUMENT', async () => {
      const { store } = ctx;
      await run(store.assoc('plain', { a: 1 }));
      const err = await errorOf(store.bget('plain', bytesOf));
      expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    });

    it('bassoc overwrites a binary, and exists/dissoc work on binary keys', async () => {
      const { store } = ctx;
      await run(store.bassoc('bin', u8(1)));
      await run(store.bassoc('bin', u8(2, 2)));
      expect(Array.from((await run(store.bget('bin', bytesOf)))!)).toEqual([2, 2]);
      expect(await run(store.exists('bin'))).toBe(true);
      expect(await run(store.dissoc('bin'))).toBe(true);
      expect(await run(store.bget('bin', bytesOf))).toBeUndefined();
    });

    it('a 1 MiB binary written from a stream round-trips exactly via bytes() and via stream()', async () => {
      const { store } = ctx;
      const data = seededBytes(MiB, 7);
      await run(store.bassoc('big', chunksOf(data, 64 * 1024)));
      expect(await run(store.bget('big', (b) => Promise.resolve(b.size)))).toBe(MiB);
      const viaBytes = await run(store.bget('big', bytesOf));
      expect(sameBytes(viaBytes!, data)).toBe(true);
      const viaStream = await run(
        store.bget('big', async (b) => {
          const chunks: Uint8Array[] = [];
          for await (const chunk of b.stream()) chunks.push(chunk);
          return concatBytes(chunks);
        }),
      );
      expect(sameBytes(viaStream!, data)).toBe(true);
    });

    it('a 1 MiB binary written as one Uint8Array round-trips exactly', async () => {
      const { store } = ctx;
      const data = seededBytes(MiB, 11);
      await run(store.bassoc('big', data));
      expect(sameBytes((await run(store.bget('big', bytesOf)))!, data)).toBe(true);
    });
  });
  describeOnNode(describe, 'binary: Node sources', () => {
    it('bassoc of a Node Readable stores the concatenated chunks', async () => {
      const { store } = ctx;
      const { Readable } = await nodeSources();
      await run(store.bassoc('r', Readable.from([u8(1, 2), u8(3), u8(4, 5, 6)])));
      expect(Array.from((await run(store.bget('r', bytesOf)))!)).toEqual([1, 2, 3, 4, 5, 6]);
    });
  });
}
