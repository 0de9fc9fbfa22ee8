/**
 * wrapBacking: the kit backing wrappers are built with. A wrapper offers an optional method only
 * when the backing it wraps has it, and only when it opts in, so core picks the same paths
 * through a wrapper as without it and never bypasses a wrapper that must see a call.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { createStore, wrapBacking, type BackingStore, type ReleaseLock } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

/** A reference backing with a cross-process lock and a one-step write, logging the calls it gets. */
function locking(calls: string[]): BackingStore {
  const inner = referenceBacking();
  return {
    ...inner,
    lock: (id: string): ReleaseLock => (calls.push(`lock ${id.slice(0, 4)}`), () => void calls.push('unlock')),
    writeIfUnlocked: (id: string, data: Uint8Array) => (calls.push('writeIfUnlocked'), inner.write(id, data), true),
  };
}

describe('wrapBacking', () => {
  it('wraps an optional method the inner backing has, calling the inner one bound to it', async () => {
    const calls: string[] = [];
    const inner = locking(calls);
    const wrapper = wrapBacking(inner, { ...inner }, { writeIfUnlocked: (m) => (id, data, notice) => (calls.push('wrapped'), m(id, data, notice)) });
    const store = createStore(wrapper);
    await firstValueFrom(store.assoc('k', 1));
    expect(calls).toEqual(['wrapped', 'writeIfUnlocked']);
    expect(await firstValueFrom(store.get('k'))).toBe(1);
  });

  it('does not offer an optional method the inner backing lacks', () => {
    const wrapper = wrapBacking(referenceBacking(), { ...referenceBacking() }, { writeIfUnlocked: (m) => m, deleteIfUnlocked: (m) => m, lock: (m) => m });
    expect('writeIfUnlocked' in wrapper).toBe(false);
    expect('deleteIfUnlocked' in wrapper).toBe(false);
    expect('lock' in wrapper).toBe(false);
  });

  it('does not offer an optional method the wrapper did not opt in to: core then takes the lock and writes', async () => {
    const calls: string[] = [];
    const inner = locking(calls);
    const { writeIfUnlocked: _skipped, ...rest } = inner;
    const wrapper = wrapBacking(inner, rest, { lock: (m) => m });
    expect('writeIfUnlocked' in wrapper).toBe(false);
    await firstValueFrom(createStore(wrapper).assoc('k', 1));
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^lock /);
    expect(calls[1]).toBe('unlock');
  });
});
