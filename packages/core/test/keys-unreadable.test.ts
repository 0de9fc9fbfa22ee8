/**
 * keys() and `ERR_IO`: a blob the backing answers for but cannot read (a file without read
 * permission) is one unreadable entry, reported like a damaged one; a read that fails once is
 * read again; a backing that fails altogether fails the listing instead of looking empty.
 */
import { describe, expect, it } from '@jest/globals';
import { lastValueFrom, toArray } from 'rxjs';
import type { BackingStore } from '../src/backing';
import { createStore } from '../src/create-store';
import { isKonserveError, type KonserveError } from '../src/errors';
import { keyRef } from '../src/format/key';
import { referenceBacking } from '../src/testing/reference-backing';

/** An EACCES-like system error, as node:fs raises it. */
function accessDenied(id: string): Error {
  return Object.assign(new Error(`EACCES: permission denied, open '${id}'`), { code: 'EACCES', syscall: 'open', path: id });
}

/** The async reference backing, whose reads fail as `failRead(id)` says and whose `has` fails while `down`. */
function unreliable(failRead: (id: string) => boolean): BackingStore & { down: boolean } {
  const inner = referenceBacking({ async: true });
  const backing = {
    ...inner,
    down: false,
    read: async (id: string) => {
      if (failRead(id)) throw accessDenied(id);
      return inner.read(id);
    },
    has: async (id: string) => {
      if (backing.down) throw new Error('connection lost');
      return inner.has(id);
    },
  };
  return backing;
}

async function listed(store: ReturnType<typeof createStore>): Promise<{ keys: unknown[]; reported: KonserveError[] }> {
  const reported: KonserveError[] = [];
  const metas = await lastValueFrom(store.keys({ onDamaged: (e) => reported.push(e) }).pipe(toArray()));
  return { keys: metas.map((m) => m.key).sort(), reported };
}

describe('keys() over blobs the backing cannot read', () => {
  it('lists the other keys and reports an unreadable blob as ERR_IO naming its blob id (cause: the backing error)', async () => {
    const locked = keyRef('locked').id;
    const store = createStore(unreliable((id) => id === locked));
    await lastValueFrom(store.multiAssoc({ a: 1, b: 2, locked: 3 }));
    const { keys, reported } = await listed(store);
    expect(keys).toEqual(['a', 'b']);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ code: 'ERR_IO', path: locked });
    expect(isKonserveError(reported[0]!.cause, 'ERR_IO')).toBe(true);
  });

  it('reads a blob again after one failed read: nothing is reported, every key is listed', async () => {
    const flaky = keyRef('flaky').id;
    let failures = 1;
    const store = createStore(unreliable((id) => id === flaky && failures-- > 0));
    await lastValueFrom(store.multiAssoc({ a: 1, flaky: 2 }));
    expect(await listed(store)).toEqual({ keys: ['a', 'flaky'], reported: [] });
  });

  it('fails the listing with ERR_IO when the backing fails altogether (reads and has), instead of completing empty', async () => {
    let broken = false;
    const backing = unreliable(() => broken);
    const store = createStore(backing);
    await lastValueFrom(store.multiAssoc({ a: 1, b: 2 }));
    broken = true;
    backing.down = true;
    const reported: KonserveError[] = [];
    await expect(lastValueFrom(store.keys({ onDamaged: (e) => reported.push(e) }).pipe(toArray()))).rejects.toMatchObject({ code: 'ERR_IO' });
    expect(reported).toEqual([]);
  });
});
