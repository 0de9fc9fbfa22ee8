/** `createKeyv`: a Keyv instance over a konserve-rx Store, with iteration wired in. */
import Keyv, { type KeyvOptions } from 'keyv';
import type { Store } from '@konserve-rx/core';
import { konserveKeyvAdapter } from './keyv-adapter';
import type { KeyvKonserveOptions } from './options';

/**
 * Creates a Keyv over a konserve-rx Store. Unlike `new Keyv({ store: adapter })`, `keyv.iterator()`
 * works: keyv 5 only wires an adapter's iterator for a fixed list of database dialects, so this
 * wires ours explicitly.
 * @param store - the Store to keep the data in
 * @param options - keyv's options (namespace, ttl, serialize, ...) and the adapter's
 * @returns a Keyv instance
 * @example
 * ```ts
 * const keyv = createKeyv(store, { namespace: 'cache', ttl: 60_000 });
 * for await (const [key, value] of keyv.iterator!(undefined)) console.log(key, value);
 * ```
 */
export function createKeyv<Value = unknown>(store: Store, options: Omit<KeyvOptions, 'store'> & KeyvKonserveOptions = {}): Keyv<Value> {
  const { collection, closeOnDisconnect, now, ...keyvOptions } = options;
  const adapter = konserveKeyvAdapter(store, {
    ...(collection === undefined ? {} : { collection }),
    ...(closeOnDisconnect === undefined ? {} : { closeOnDisconnect }),
    ...(now === undefined ? {} : { now }),
  });
  const keyv = new Keyv<Value>({ ...keyvOptions, store: adapter });
  keyv.iterator ??= keyv.generateIterator(adapter.iterator.bind(adapter));
  return keyv;
}
