/** exists, get, getMeta, assoc, update and dissoc. */
import { checkOptions } from '../../internal/check-options';
import { keyRef } from '../../format/key';
import { ASSOC_OPTIONS } from './call-options';
import { publish, type StoreContext } from '../engine/context';
import { dissocKey } from '../dissoc';
import { operation } from '../engine/operation';
import { readMeta, readValueNow } from '../read';
import { requireFunction, syncResult, updateValue } from '../update';
import { prepareBlob } from '../write';
import type { Change, Key, Meta, Store, AssocOptions } from '../../store-api';

type ValueMethods = Pick<Store, 'exists' | 'get' | 'getMeta' | 'assoc' | 'update' | 'dissoc'>;

/** The single-key value methods of a Store: exists, get, getMeta, assoc, update, dissoc. */
export function valueMethods(ctx: StoreContext): ValueMethods {
  return {
    exists: (key: Key) =>
      operation<boolean>(ctx, 'exists', () => {
        const ref = keyRef(key);
        return {
          ids: [ref.id],
          mode: 'read',
          *run(emit) {
            emit((yield* readMeta(ctx, ref.id, ref.key)) !== undefined);
          },
        };
      }),
    get: (key: Key, notFound?: unknown) =>
      operation<unknown>(ctx, 'get', () => {
        const ref = keyRef(key);
        return { ids: [ref.id], mode: 'read', result: () => readValueNow(ctx, ref.id, ref.key, notFound) };
      }),
    getMeta: (key: Key) =>
      operation<Meta | undefined>(ctx, 'getMeta', () => {
        const ref = keyRef(key);
        return {
          ids: [ref.id],
          mode: 'read',
          *run(emit) {
            emit(yield* readMeta(ctx, ref.id, ref.key));
          },
        };
      }),
    assoc: (key: Key, value: unknown, options?: AssocOptions) =>
      operation<Meta, void>(ctx, 'assoc', () => {
        const ref = keyRef(key);
        checkOptions('assoc', options, ASSOC_OPTIONS);
        // encoded now, at subscribe: mutating `value` afterwards cannot change what is written
        const blob = prepareBlob(ctx, ref.id, ref.key, 'value', ctx.codec.encode(ref.key, value), options?.meta);
        return {
          ids: [ref.id],
          key: ref.key,
          // the write's promise gets one reaction: ERR_IO on failure, else publish and deliver
          io: true,
          result: () => ctx.backing.write(blob.id, blob.bytes),
          done: () => {
            // the change record (and its closure) only when someone listens: this runs on every write
            if (ctx.announce !== undefined || ctx.changes.observed) {
              publish(ctx, { op: 'assoc', key: ref.key, id: ref.id, meta: blob.meta, value: () => ctx.codec.decode(ref.key, ctx.codec.ids, blob.value) });
            }
            return blob.meta;
          },
        };
      }),
    update: (key: Key, fn: (old: unknown, ...args: unknown[]) => unknown, ...args: unknown[]) =>
      operation<Change>(ctx, 'update', () => {
        const ref = keyRef(key);
        requireFunction('update', fn, ref.key);
        return {
          ids: [ref.id],
          key: ref.key,
          *run(emit) {
            const r = yield* updateValue(ctx, ref, 'update', undefined, (fresh) => syncResult('update', fn(fresh(), ...args), ref.key));
            emit({ old: r.old, new: r.new });
          },
        };
      }),
    dissoc: (key: Key) =>
      operation<boolean>(ctx, 'dissoc', () => {
        const ref = keyRef(key);
        return {
          ids: [ref.id],
          key: ref.key,
          *run(emit) {
            emit(yield* dissocKey(ctx, ref, 'dissoc'));
          },
        };
      }),
  } as ValueMethods;
}
