/** multiGet, multiAssoc and multiDissoc: several keys under one set of locks. */
import { invalidArgument } from '../../errors';
import { checkOptions } from '../../internal/check-options';
import { canonicalKey, keyRef, type KeyRef } from '../../format/key';
import type { Key, Meta, MultiAssocOptions, MultiEntries, Store, UserMeta } from '../../store-api';
import { MULTI_ASSOC_OPTIONS } from './call-options';
import { publish, type StoreContext } from '../engine/context';
import { planDissoc } from '../dissoc';
import { operation } from '../engine/operation';
import { decodeValue, readBlob } from '../read';
import { commitAll, prepareBlob, type PreparedBlob } from '../write';

type MultiMethods = Pick<Store, 'multiGet' | 'multiAssoc' | 'multiDissoc'>;

/** The multi-key methods of a Store. */
export function multiMethods(ctx: StoreContext): MultiMethods {
  return {
    multiGet: (keys: Iterable<Key>) =>
      operation<Map<Key, unknown>>(ctx, 'multiGet', () => {
        const refs = refsOf(keys);
        return {
          ids: refs.map((r) => r.id),
          mode: 'read',
          *run(emit) {
            const found = new Map<Key, unknown>();
            for (const ref of refs) {
              const blob = yield* readBlob(ctx, ref.id, ref.key);
              if (blob !== undefined) found.set(ref.key, decodeValue(ctx, blob, ref.key));
            }
            emit(found);
          },
        };
      }),
    multiAssoc: (entries: MultiEntries<unknown>, options?: MultiAssocOptions) =>
      operation<Map<Key, true>>(ctx, 'multiAssoc', () => {
        checkOptions('multiAssoc', options, MULTI_ASSOC_OPTIONS);
        const metaOf = userMetaFor(options?.meta);
        const blobs = entriesOf(entries).map(([key, value]) => {
          const ref = keyRef(key);
          return prepareBlob(ctx, ref.id, ref.key, 'value', ctx.codec.encode(ref.key, value), metaOf(ref));
        });
        return {
          ids: blobs.map((b) => b.id),
          key: blobs[0]?.meta.key,
          *run(emit) {
            // a key given twice ends with its later value: write only the last blob per id
            const last = new Map<string, PreparedBlob>(blobs.map((b) => [b.id, b]));
            yield* commitAll(
              ctx,
              [...last.values()].map((b) => [b.id, b.bytes] as const),
              blobs[0]?.meta.key,
            );
            const result = new Map<Key, true>();
            for (const b of blobs) {
              result.set(b.meta.key, true);
              publish(ctx, { op: 'multiAssoc', key: b.meta.key, id: b.id, meta: b.meta, value: () => ctx.codec.decode(b.meta.key, ctx.codec.ids, b.value) });
            }
            emit(result);
          },
        };
      }),
    multiDissoc: (keys: Iterable<Key>) =>
      operation<Map<Key, boolean>>(ctx, 'multiDissoc', () => {
        const refs = refsOf(keys);
        return {
          ids: refs.map((r) => r.id),
          key: refs[0]?.key,
          *run(emit) {
            const result = new Map<Key, boolean>();
            const deletes: Array<readonly [string, null]> = [];
            const gone: Array<{ ref: KeyRef; meta: Meta }> = [];
            // a key given twice answers like its first occurrence (it existed before the call)
            const seen = new Map<string, boolean>();
            for (const ref of refs) {
              const first = seen.get(ref.id);
              if (first !== undefined) {
                result.set(ref.key, first);
                continue;
              }
              const plan = yield* planDissoc(ctx, ref);
              seen.set(ref.id, plan !== undefined);
              result.set(ref.key, plan !== undefined);
              if (plan === undefined) continue;
              deletes.push(...plan.ids.map((id) => [id, null] as const));
              gone.push({ ref, meta: plan.meta });
            }
            yield* commitAll(ctx, deletes, refs[0]?.key);
            const lastWrite = ctx.clock();
            for (const { ref, meta } of gone) publish(ctx, { op: 'multiDissoc', key: ref.key, id: ref.id, meta: { ...meta, lastWrite }, deleted: true });
            emit(result);
          },
        };
      }),
  } as MultiMethods;
}

function refsOf(keys: Iterable<Key>): KeyRef[] {
  if (keys === null || typeof keys !== 'object' || !(Symbol.iterator in keys)) throw invalidArgument('expected an iterable of keys');
  return Array.from(keys, (k) => keyRef(k));
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
