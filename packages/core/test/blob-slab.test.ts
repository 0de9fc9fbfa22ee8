/** ownedBytes: what a backing that keeps blobs for long keeps, so a shared slab does not stay alive with them. */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { createStore, ownedBytes, type BackingStore } from '../src/index';
import { referenceBacking } from '../src/testing/reference-backing';

describe('ownedBytes', () => {
  it('returns an array that is the whole of its buffer as it is', () => {
    const whole = new Uint8Array([1, 2, 3]);
    expect(ownedBytes(whole)).toBe(whole);
  });

  it('copies a view into a larger buffer into an array of its own', () => {
    const buffer = new Uint8Array([0, 1, 2, 3, 4, 5]);
    const owned = ownedBytes(buffer.subarray(2, 4));
    expect([...owned]).toEqual([2, 3]);
    expect(owned.buffer.byteLength).toBe(2);
    buffer[2] = 9;
    expect(owned[0]).toBe(2);
  });
});

describe('blobs handed to a backing', () => {
  it('hold exactly the blob between byteOffset and byteLength, even when they share a buffer', async () => {
    const seen: Uint8Array[] = [];
    const inner = referenceBacking();
    const backing: BackingStore = { ...inner, write: (id, data, expiresAt) => (seen.push(data), inner.write(id, data, expiresAt)) };
    const store = createStore(backing);
    await firstValueFrom(store.assoc('a', 'first'));
    await firstValueFrom(store.assoc('b', 'second'));
    // two small blobs built one after the other share a slab, each a view of its own bytes
    expect(seen[0]!.buffer).toBe(seen[1]!.buffer);
    expect(seen[0]!.byteOffset + seen[0]!.byteLength).toBeLessThanOrEqual(seen[1]!.byteOffset);
    expect(await firstValueFrom(store.get('a'))).toBe('first');
    expect(await firstValueFrom(store.get('b'))).toBe('second');
  });
});
