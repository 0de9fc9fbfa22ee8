/** bassoc, bget, append, log and reduceLog. */
import { defer, EMPTY, from, lastValueFrom, reduce, type ObservableInput } from 'rxjs';
import { checkOptions } from '../internal/check-options';
import { keyRef } from '../internal/key';
import { ASSOC_OPTIONS } from './call-options';
import { wait } from '../internal/flow';
import type { AppendLogHead, BinaryBlob, BinaryInput, Change, Key, Meta, Store, AssocOptions } from '../store';
import { appendElement, readLog } from './append-log';
import { writeBinary, binarySource } from './binary';
import { openBinary } from './binary-read';
import { io, publish, type StoreContext } from './context';
import { operation } from './operation';
import { requireFunction } from './update';

type BinaryMethods = Pick<Store, 'bassoc' | 'bget' | 'append' | 'log' | 'reduceLog'>;

/** The binary and append-log methods of a Store. */
export function binaryMethods(ctx: StoreContext): BinaryMethods {
  const log = (key: Key) =>
    operation<unknown>(ctx, 'log', () => {
      const ref = keyRef(key);
      return { ids: [ref.id], mode: 'read', run: (emit, stopped) => readLog(ctx, ref, emit, stopped) };
    });
  return {
    bassoc: (key: Key, data: BinaryInput, options?: AssocOptions) =>
      operation<Meta>(ctx, 'bassoc', () => {
        const ref = keyRef(key);
        checkOptions('bassoc', options, ASSOC_OPTIONS);
        const source = binarySource(data, ref.key);
        return {
          ids: [ref.id],
          key: ref.key,
          *run(emit) {
            const meta = yield* writeBinary(ctx, ref.id, ref.key, source, options?.meta);
            publish(ctx, { op: 'bassoc', key: ref.key, id: ref.id, meta });
            emit(meta);
          },
          ...(source instanceof Uint8Array ? {} : { finalize: source.dispose }),
        };
      }),
    bget: <R>(key: Key, read: (blob: BinaryBlob) => ObservableInput<R>) =>
      operation<R | undefined>(ctx, 'bget', () => {
        const ref = keyRef(key);
        requireFunction('bget', read, ref.key);
        return {
          ids: [ref.id],
          mode: 'read',
          *run(emit) {
            const opened = yield* openBinary(ctx, ref);
            if (opened === undefined) return emit(undefined);
            try {
              emit(yield* wait(lastValueFrom(from(read(opened.blob)), { defaultValue: undefined })));
            } finally {
              yield* io(ref.key, opened.close);
            }
          },
        };
      }),
    append: (key: Key, elem: unknown) =>
      operation<Change<AppendLogHead>>(ctx, 'append', () => {
        const ref = keyRef(key);
        // packed now, at subscribe (a later change to `elem` is not written); encrypted for its place once appended
        const bytes = ctx.codec.pack(ref.key, elem).slice();
        return {
          ids: [ref.id],
          key: ref.key,
          *run(emit) {
            emit(yield* appendElement(ctx, ref, bytes));
          },
        };
      }),
    log,
    reduceLog: (key: Key, fn: (acc: unknown, elem: unknown) => unknown, seed: unknown) =>
      typeof fn === 'function'
        ? log(key).pipe(reduce(fn, seed))
        : defer(() => {
            requireFunction('reduceLog', fn, key);
            return EMPTY;
          }),
  } as BinaryMethods;
}
