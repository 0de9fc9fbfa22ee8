/**
 * What the memory backing holds: small blobs from core arrive as views into shared slabs, and the
 * backing keeps the memory under its blobs within a small multiple of their bytes (see
 * src/arena.ts), whatever the pattern of writes and deletes, without ever changing bytes it has
 * handed out.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { connectMemoryStore, memoryBacking } from '@konserve-rx/memory';
import { mulberry32 } from '@konserve-rx/core';

/** Bytes of the blobs in `map`, and bytes of the distinct buffers under them. */
function held(map: Map<string, Uint8Array>): { live: number; buffers: number } {
  const buffers = new Set<ArrayBufferLike>();
  let live = 0;
  for (const bytes of map.values()) {
    buffers.add(bytes.buffer);
    live += bytes.byteLength;
  }
  let total = 0;
  for (const b of buffers) total += b.byteLength;
  return { live, buffers: total };
}

const DOC = { name: 'a document of a few hundred bytes', tags: ['x', 'y', 'z'], n: 12345, nested: { text: 'lorem ipsum '.repeat(30) } };

describe('memory backing: memory held', () => {
  it('holds at most a small multiple of the live bytes after random overwrites, and after deleting most keys', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await firstValueFrom(connectMemoryStore({ map }));
    const random = mulberry32(7);
    const keys = 4000;
    for (let k = 0; k < keys; k++) await firstValueFrom(store.assoc(`k${k}`, DOC));
    for (let i = 0; i < 5 * keys; i++) await firstValueFrom(store.assoc(`k${Math.floor(random() * keys)}`, DOC));
    const overwritten = held(map);
    // without compaction, each surviving view keeps its whole slab alive: about 3.7x here
    expect(overwritten.buffers).toBeLessThan(2.5 * overwritten.live + 512 * 1024);
    for (let k = 0; k < keys; k++) if (random() < 0.9) await firstValueFrom(store.dissoc(`k${k}`));
    const thinned = held(map);
    // without compaction, nearly every survivor keeps a slab of its own
    expect(thinned.buffers).toBeLessThan(2.5 * thinned.live + 512 * 1024);
    let found = 0;
    for (let k = 0; k < keys; k++) {
      const value = await firstValueFrom(store.get(`k${k}`, 'gone'));
      if (value === 'gone') continue;
      expect(value).toEqual(DOC);
      found++;
    }
    expect(found).toBe(map.size);
  });

  it('never changes bytes it handed out: an array read before compactions still holds its blob', async () => {
    const backing = memoryBacking();
    const blob = (n: number): Uint8Array => {
      // a small view into a shared buffer, as core's blobs are
      const buffer = new Uint8Array(16 * 1024);
      const view = buffer.subarray(64, 64 + 600);
      view.fill(n % 251);
      return view;
    };
    backing.write('first', blob(1));
    const before = backing.read('first') as Uint8Array;
    const copy = Uint8Array.from(before);
    for (let i = 0; i < 5000; i++) backing.write(`id${i % 50}`, blob(i));
    backing.write('first', blob(2));
    expect(Uint8Array.from(before)).toEqual(copy);
    expect((backing.read('first') as Uint8Array)[0]).toBe(2);
    for (let i = 0; i < 50; i++) expect((backing.read(`id${i}`) as Uint8Array)[599]).toBe((4950 + i) % 251);
  });

  it('does not compact when writes alternate between a few well-used slabs (an asynchronous store delivers them out of build order)', () => {
    const map = new Map<string, Uint8Array>();
    const backing = memoryBacking({ map });
    // a sparse slab: one 100-byte blob in 64 KiB; a compaction would move it to an arena
    const sparse = new Uint8Array(64 * 1024).subarray(0, 100);
    backing.write('lonely', sparse);
    // two slabs full of live blobs, written alternately: 300 KiB of writes in all
    const slabs = [new Uint8Array(64 * 1024), new Uint8Array(64 * 1024)];
    const size = 512;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 128; i++) {
        const slab = slabs[i % 2]!;
        const at = (i >> 1) * size;
        backing.write(`s${i % 2}-${i >> 1}`, slab.subarray(at, at + size));
      }
    }
    // 192 KiB held for 128 KiB live is far below the bound (three times the live bytes, plus
    // 256 KiB): the sparse slab stays where it was. Counting a slab again at every switch between
    // the two made the backing believe it held a slab per write, and compact
    expect(map.get('lonely')!.buffer).toBe(sparse.buffer);
  });

  it('keeps a small view of a large buffer as a copy, not the buffer', () => {
    const map = new Map<string, Uint8Array>();
    const backing = memoryBacking({ map });
    const large = new Uint8Array(1024 * 1024);
    large.fill(9, 1000, 1100);
    backing.write('small', large.subarray(1000, 1100));
    const kept = map.get('small')!;
    expect(kept.buffer).not.toBe(large.buffer);
    expect(kept.buffer.byteLength).toBeLessThan(large.byteLength);
    expect([...kept]).toEqual(new Array(100).fill(9));
  });
});
