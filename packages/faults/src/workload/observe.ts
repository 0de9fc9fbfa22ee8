/** Reading a key's whole state back through a Store, and comparing states. */
import { lastValueFrom, toArray } from 'rxjs';
import type { Key, Store } from '@konserve-rx/core';
import { sameValue } from './equal';
import type { KeyState } from './model';

/**
 * Reads everything `key` holds: its type from the Meta, then the value, the binary's bytes or
 * the log's elements. Rejects with the Store's error when any read fails.
 */
export async function observeKey(store: Store, key: Key): Promise<KeyState | undefined> {
  const meta = await lastValueFrom(store.getMeta(key));
  if (meta === undefined) return undefined;
  switch (meta.type) {
    case 'value':
      return { type: 'value', value: await lastValueFrom(store.get(key)) };
    case 'binary':
      return { type: 'binary', bytes: (await lastValueFrom(store.bget(key, (b) => b.bytes())))! };
    case 'append-log':
      return { type: 'append-log', elems: await lastValueFrom(store.log(key).pipe(toArray())) };
    default:
      throw new Error(`unknown blob type ${String(meta.type)}`);
  }
}

/** Whether two key states are equal (same type and equal content; `undefined` is missing). */
export function sameState(a: KeyState | undefined, b: KeyState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.type !== b.type) return false;
  if (a.type === 'value') return sameValue(a.value, (b as typeof a).value);
  if (a.type === 'binary') return sameValue(a.bytes, (b as typeof a).bytes);
  return sameValue(a.elems, (b as typeof a).elems);
}
