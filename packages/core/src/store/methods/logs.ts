/** append, log and reduceLog: the append-log methods of a Store. */
import { defer, EMPTY, reduce } from 'rxjs';
import { refIn } from '../scope';
import type { AppendLogHead, Change, Key, Store } from '../../store-api';
import { appendElement, readLog } from '../append-log';
import type { StoreContext } from '../engine/context';
import { operation } from '../engine/operation';
import { mapMaybe, wait } from '../engine/flow';
import { settledLater } from '../write';
import { requireFunction } from '../update';

type LogMethods = Pick<Store, 'append' | 'log' | 'reduceLog'>;

/** The append-log methods of a Store. */
export function logMethods(ctx: StoreContext): LogMethods {
  const log = (key: Key) =>
    operation<unknown>(ctx, 'log', () => {
      const ref = refIn(ctx, key);
      return { ids: ref.ids, mode: 'read', run: (out) => readLog(ctx, ref, out) };
    });
  return {
    append: (key: Key, elem: unknown) =>
      operation<Change<AppendLogHead>>(ctx, 'append', () => {
        const ref = refIn(ctx, key);
        // packed now, at subscribe (a later change to `elem` is not written); encrypted for its place once appended
        const bytes = settledLater(mapMaybe(ctx.codec.pack(ref, elem), (packed) => packed.slice()));
        return {
          ids: ref.ids,
          key: ref.key,
          *run(out) {
            out.emit(yield* appendElement(ctx, ref, yield* wait(bytes)));
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
  } as LogMethods;
}
