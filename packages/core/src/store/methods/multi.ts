/** multiGet, multiAssoc and multiDissoc: several keys under one set of locks. */
import { invalidArgument } from '../../errors';
import { checkOptions } from '../../internal/check-options';
import { canonicalKey, type KeyRef } from '../../format/key';
import { refIn } from '../scope';
import type { Key, MultiAssocOptions, MultiEntries, Store, UserMeta } from '../../store-api';
import { MULTI_ASSOC_OPTIONS } from './call-options';
import { publish, type StoreContext } from '../engine/context';
import { dissocAll } from '../dissoc';
import { operation } from '../engine/operation';
import { decodeValue, readBlob } from '../read';
import { commitAll, prepareBlob, settledLater, type PreparedBlob } from '../write';
import { ttlExpiry } from '../expiry';
import { mapMaybe, wait } from '../engine/flow';

type MultiMethods = Pick<Store, 'multiGet' | 'multiAssoc' | 'multiDissoc'>;

/** The multi-key methods of a Store. */
export function multiMethods(ctx: StoreContext): MultiMethods {
  return {
    multiGet: (keys: Iterable<Key>) =>
      operation<Map<Key, unknown>>(ctx, 'multiGet', () => {
        const refs = refsOf(ctx, keys);
        return {
          ids: refs.map((r) => r.id),
          mode: 'read',
          *run(out) {
            const found = new Map<Key, unknown>();
            for (const ref of refs) {
              const blob = yield* readBlob(ctx, ref.id, ref.key);
              if (blob !== undefined) found.set(ref.key, yield* wait(decodeValue(ctx, blob, ref)));
            }
            out.emit(found);
          },
        };
      }),
    multiAssoc: (entries: MultiEntries<unknown>, options?: MultiAssocOptions) =>
      operation<Map<Key, true>>(ctx, 'multiAssoc', () => {
        checkOptions('multiAssoc', options, MULTI_ASSOC_OPTIONS);
        const metaOf = userMetaFor(options?.meta);
        const expiry = ttlExpiry('multiAssoc', options?.ttl, undefined);
        const pairs = entriesOf(entries);
        const refs = pairs.map(([key]) => refIn(ctx, key));
        const encoded = pairs.map(([, value], i) => {
          const ref = refs[i]!;
          return settledLater(
            mapMaybe(ctx.codec.encode(ref, value), (bytes) => prepareBlob(ctx, ref.id, ref.key, 'value', bytes, metaOf(ref), ctx.codec.ids, expiry)),
          );
        });
        return {
          ids: refs.map((r) => r.id),
          key: refs[0]?.key,
          *run(out) {
            const blobs: PreparedBlob[] = [];
            for (const b of encoded) blobs.push(yield* wait(b));
            // a key given twice ends with its later value: write only the last blob per id
            const last = new Map<string, PreparedBlob>(blobs.map((b) => [b.id, b]));
            yield* commitAll(
              ctx,
              [...last.values()].map((b) => [b.id, b.bytes, b.meta.expiresAt] as const),
              blobs[0]?.meta.key,
            );
            const result = new Map<Key, true>();
            blobs.forEach((b, i) => {
              result.set(b.meta.key, true);
              publish(ctx, { op: 'multiAssoc', key: b.meta.key, id: b.id, meta: b.meta, value: () => ctx.codec.decode(refs[i]!, ctx.codec.ids, b.value) });
            });
            out.emit(result);
          },
        };
      }),
    multiDissoc: (keys: Iterable<Key>) =>
      operation<Map<Key, boolean>>(ctx, 'multiDissoc', () => {
        const refs = refsOf(ctx, keys);
        return {
          ids: refs.map((r) => r.id),
          key: refs[0]?.key,
          *run(out) {
            const existed = yield* dissocAll(ctx, refs);
            // a key given twice answers like its first occurrence (it existed before the call)
            out.emit(new Map(refs.map((ref) => [ref.key, existed.get(ref.id) === 'deleted'])));
          },
        };
      }),
  } as MultiMethods;
}

function refsOf(ctx: StoreContext, keys: Iterable<Key>): KeyRef[] {
  if (keys === null || typeof keys !== 'object' || !(Symbol.iterator in keys)) throw invalidArgument('expected an iterable of keys');
  return Array.from(keys, (k) => refIn(ctx, k));
}

function entriesOf(entries: MultiEntries<unknown>): Array<readonly [Key, unknown]> {
  if (entries === null || typeof entries !== 'object') throw invalidArgument('multiAssoc takes [key, value] pairs or a record');
  if (Symbol.iterator in entries) {
    return Array.from(entries as Iterable<readonly [Key, unknown]>, (e) => {
      if (!Array.isArray(e) || e.length !== 2) throw invalidArgument('multiAssoc entries are [key, value] pairs');
      return e as readonly [Key, unknown];
    });
  }
  return Object.entries(entries);
}

/** The user metadata of each entry, from `multiAssoc`'s `meta` option. */
function userMetaFor(meta: MultiAssocOptions['meta']): (ref: KeyRef) => UserMeta | undefined {
  if (meta === undefined) return () => undefined;
  if (typeof meta === 'function') return (ref) => meta(ref.key);
  if (meta instanceof Map) {
    // keys compare by value, like everywhere in a Store
    const byKey = new Map<string, UserMeta>();
    for (const [key, m] of meta) byKey.set(canonicalKey(key), m);
    return (ref) => byKey.get(ref.canonical);
  }
  if (meta === null || typeof meta !== 'object') throw invalidArgument('multiAssoc meta is an object, a Map from key to metadata, or a function of the key');
  return () => meta as UserMeta;
}
