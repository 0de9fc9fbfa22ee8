/**
 * Corruption: a blob with a flipped byte (header, meta or value) or a truncated blob fails with
 * `ERR_CORRUPT` naming the key, for that key only; other keys stay readable. The damage is done
 * through the backing (`read` + `write`), finding the key's blob id by listing before and after.
 */
import type { BackingStore } from '../backing';
import type { Key, Store } from '../store-api';
import type { ComplianceContext } from './context';
import { eachIt } from './harness';
import { addedBlobId, errorOf, run } from './util';

/** Header bytes before the encoded Meta (docs/format.md). */
const HEADER_SIZE = 28;
const KEY: Key = { doc: 'victim', n: 1 };
const VALUE = { title: 'x'.repeat(200), list: [1, 2, 3], nested: { a: 'b' } };

/**
 * Replaces a blob with a copy whose byte at `position` is inverted.
 * @param backing - the store's backing
 * @param id - the blob to damage
 * @param position - the byte to invert, given the blob's size
 * @returns the original bytes, to restore them
 */
export async function flipByte(backing: BackingStore, id: string, position: (size: number) => number): Promise<Uint8Array> {
  const original = (await backing.read(id))!;
  const damaged = Uint8Array.from(original);
  const at = position(original.length);
  damaged[at] = damaged[at]! ^ 0xff;
  await backing.write(id, damaged);
  return original;
}

/** Stores the victim key plus a bystander written later; returns the victim's blob id. */
async function setup(store: Store): Promise<string> {
  const id = await addedBlobId(store, () => run(store.assoc(KEY, VALUE, { meta: { owner: 'me' } })));
  await run(store.assoc('bystander', { fine: true }));
  return id;
}

const POSITIONS: [string, (size: number) => number][] = [
  ['the first header byte', () => 0],
  ['header byte 5', () => 5],
  ['the first byte after the header', () => HEADER_SIZE],
  ['a middle byte', (size) => Math.floor(size / 2)],
  ['the last byte', (size) => size - 1],
];

/**
 * Registers the corruption tests.
 * @param ctx - the suite's context: the running test's fresh store and its capabilities
 */
export function corruptionTests(ctx: ComplianceContext): void {
  const { describe, it, expect } = ctx.harness;
  describe('corruption', () => {
    eachIt(it, POSITIONS, 'get after flipping %s errors with ERR_CORRUPT naming the key; other keys still read', async (_label, position) => {
      const { store } = ctx;
      const id = await setup(store);
      await flipByte(store.backing, id, position);
      const err = await errorOf(store.get(KEY));
      expect(err.code).toBe('ERR_CORRUPT');
      expect(err.key).toEqual(KEY);
      expect(await run(store.get('bystander'))).toEqual({ fine: true });
      expect(await run(store.getMeta('bystander'))).toMatchObject({ key: 'bystander', type: 'value' });
    });

    it('restoring the original bytes makes the key readable again', async () => {
      const { store } = ctx;
      const id = await setup(store);
      const original = await flipByte(store.backing, id, (size) => Math.floor(size / 2));
      expect((await errorOf(store.get(KEY))).code).toBe('ERR_CORRUPT');
      await store.backing.write(id, original);
      expect(await run(store.get(KEY))).toEqual(VALUE);
    });

    it('getMeta after damaging the header or meta errors with ERR_CORRUPT naming the key', async () => {
      const { store } = ctx;
      const id = await setup(store);
      for (const position of [() => 5, () => HEADER_SIZE]) {
        const original = await flipByte(store.backing, id, position);
        const err = await errorOf(store.getMeta(KEY));
        expect(err.code).toBe('ERR_CORRUPT');
        expect(err.key).toEqual(KEY);
        await store.backing.write(id, original);
      }
    });

    eachIt<[string, (size: number) => number]>(
      it,
      [
        ['one byte short', (size) => size - 1],
        ['cut inside the header', () => 10],
        ['empty', () => 0],
      ],
      'get of a truncated blob (%s) errors with ERR_CORRUPT',
      async (_label, length) => {
        const { store } = ctx;
        const id = await setup(store);
        const bytes = (await store.backing.read(id))!;
        await store.backing.write(id, bytes.slice(0, length(bytes.length)));
        const err = await errorOf(store.get(KEY));
        expect(err.code).toBe('ERR_CORRUPT');
        expect(err.key).toEqual(KEY);
        expect(await run(store.get('bystander'))).toEqual({ fine: true });
      },
    );

    it('bget of a binary with a flipped payload byte errors with ERR_CORRUPT', async () => {
      const { store } = ctx;
      const payload = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
      const id = await addedBlobId(store, () => run(store.bassoc('bin', payload)));
      await flipByte(store.backing, id, (size) => size - 100);
      const err = await errorOf(store.bget('bin', (b) => b.bytes()));
      expect(err.code).toBe('ERR_CORRUPT');
      expect(err.key).toBe('bin');
    });

    it('a binary with a flipped payload byte fails stream() readers with ERR_CORRUPT', async () => {
      const { store } = ctx;
      const payload = Uint8Array.from({ length: 4096 }, (_, i) => (i * 13) & 0xff);
      const id = await addedBlobId(store, () => run(store.bassoc('bin', payload)));
      await flipByte(store.backing, id, (size) => size - 100);
      const read = store.bget('bin', async (b) => {
        let n = 0;
        for await (const c of b.stream()) n += c.length;
        return n;
      });
      expect((await errorOf(read)).code).toBe('ERR_CORRUPT');
    });
  });
}
