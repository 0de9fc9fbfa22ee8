/** bassoc and bget: the binary methods of a Store. */
import { from, lastValueFrom, type ObservableInput } from 'rxjs';
import { checkOptions } from '../../internal/check-options';
import { refIn } from '../scope';
import { ASSOC_OPTIONS } from './call-options';
import { wait } from '../engine/flow';
import type { AssocOptions, BinaryBlob, BinaryInput, Key, Meta, Store } from '../../store-api';
import { writeBinary, binarySource } from '../binary-write';
import { openBinary } from '../binary-read';
import { io, publish, type StoreContext } from '../engine/context';
import { operation } from '../engine/operation';
import { requireFunction } from '../update';
import { ttlExpiry } from '../expiry';

type BinaryMethods = Pick<Store, 'bassoc' | 'bget'>;

/** The binary methods of a Store. */
export function binaryMethods(ctx: StoreContext): BinaryMethods {
  return {
    bassoc: (key: Key, data: BinaryInput, options?: AssocOptions) =>
      operation<Meta>(ctx, 'bassoc', () => {
        const ref = refIn(ctx, key);
        checkOptions('bassoc', options, ASSOC_OPTIONS);
        const expiry = ttlExpiry('bassoc', options?.ttl, ref.key);
        const source = binarySource(data, ref.key);
        return {
          ids: ref.ids,
          key: ref.key,
          *run(out) {
            const meta = yield* writeBinary(ctx, ref.id, ref.key, source, options?.meta, expiry);
            publish(ctx, { op: 'bassoc', key: ref.key, id: ref.id, meta });
            out.emit(meta);
          },
          ...(source instanceof Uint8Array ? {} : { finalize: source.dispose }),
        };
      }),
    bget: <R>(key: Key, read: (blob: BinaryBlob) => ObservableInput<R>) =>
      operation<R | undefined>(ctx, 'bget', () => {
        const ref = refIn(ctx, key);
        requireFunction('bget', read, ref.key);
        return {
          ids: ref.ids,
          mode: 'read',
          *run(out) {
            const opened = yield* openBinary(ctx, ref);
            if (opened === undefined) return out.emit(undefined);
            try {
              out.emit(yield* wait(lastValueFrom(from(read(opened.blob)), { defaultValue: undefined })));
            } finally {
              yield* io(ref.key, opened.close);
            }
          },
        };
      }),
  } as BinaryMethods;
}
