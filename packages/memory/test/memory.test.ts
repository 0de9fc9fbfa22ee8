/** The memory backend: the shared compliance suite, then what only memory promises. */
import { describe, expect, it } from '@jest/globals';
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { connectStore, gzipCompressor } from '@konserve-rx/core';
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import { connectMemoryStore, memoryBacking } from '@konserve-rx/memory';

runStoreCompliance({ name: 'memory', connect: () => connectMemoryStore(), capabilities: { syncResults: true } });

describe('memory backend', () => {
  it('emits the store and every result synchronously on subscribe', () => {
    let got: unknown = 'nothing yet';
    connectMemoryStore().subscribe((store) => {
      store.assoc('k', { a: 1 }).subscribe();
      store.get('k').subscribe((v) => (got = v));
    });
    expect(got).toEqual({ a: 1 });
  });

  it('shares data between stores given the same Map', async () => {
    const map = new Map<string, Uint8Array>();
    const a = await firstValueFrom(connectMemoryStore({ map }));
    await firstValueFrom(a.assoc('shared', 42));
    const b = await firstValueFrom(connectMemoryStore({ map }));
    expect(await firstValueFrom(b.get('shared'))).toBe(42);
  });

  it('registers the name "memory" for connectStore', async () => {
    const store = await firstValueFrom(connectStore({ backend: 'memory' }));
    expect(store.backing.capabilities.syncResults).toBe(true);
  });

  it('declares its capabilities as data', () => {
    expect(memoryBacking().capabilities).toEqual({ syncResults: true, atomicMulti: true, durable: false, multiProcess: false, stableArrays: true });
  });
});

describe('memory: unknown options are refused with ERR_INVALID_ARGUMENT', () => {
  const failureOf = (obs: Observable<unknown>): Promise<unknown> =>
    lastValueFrom(obs).then(
      () => 'completed',
      (e: unknown) => e,
    );

  it('connectMemoryStore of a misspelled option or a non-object fails as an error notification naming it', async () => {
    let obs: Observable<unknown> | undefined;
    expect(() => {
      obs = connectMemoryStore('oops' as never);
    }).not.toThrow();
    expect(await failureOf(obs!)).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    const err = await failureOf(connectMemoryStore({ compresor: gzipCompressor() } as never));
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect((err as Error).message).toContain("'compresor'");
    expect(await failureOf(connectMemoryStore({ mapp: new Map() } as never))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('memoryBacking of an unknown option throws', () => {
    expect(() => memoryBacking({ mapp: new Map() } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('connectStore passes backend and store options, and refuses unknown ones', async () => {
    const map = new Map<string, Uint8Array>();
    const store = await firstValueFrom(connectStore({ backend: 'memory', id: 'opts', map, compressor: gzipCompressor(), maxValueBytes: 10 }));
    expect(await failureOf(store.assoc('k', 'x'.repeat(1000)))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(await failureOf(connectStore({ backend: 'memory', maxValueByte: 100 }))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
