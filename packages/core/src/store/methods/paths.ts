/** getIn, assocIn and updateIn: reads and atomic writes at a path inside a top-level value. */
import { invalidArgument } from '../../errors';
import type { KeyRef } from '../../format/key';
import { refIn } from '../scope';
import type { Change, Path, Store, UpdateOptions } from '../../store-api';
import type { StoreContext } from '../engine/context';
import { operation } from '../engine/operation';
import { wait } from '../engine/flow';
import { getPath, updatePath } from '../path-steps';
import { decodeValue, readBlob } from '../read';
import { syncResult, updateArgs, updateOptions, updateValue } from '../update';

type PathMethods = Pick<Store, 'getIn' | 'assocIn' | 'updateIn'>;

/** The path methods of a Store. */
export function pathMethods(ctx: StoreContext): PathMethods {
  return {
    getIn: (path: Path, notFound?: unknown) =>
      operation<unknown>(ctx, 'getIn', () => {
        const { ref, steps } = splitPath(ctx, path);
        return {
          ids: ref.ids,
          mode: 'read',
          *run(out) {
            const blob = yield* readBlob(ctx, ref.id, ref.key);
            out.emit(blob === undefined ? notFound : getPath(yield* wait(decodeValue(ctx, blob, ref)), steps, notFound));
          },
        };
      }),
    assocIn: (path: Path, value: unknown, options?: UpdateOptions) =>
      operation<Change>(ctx, 'assocIn', () => {
        const { ref, steps } = splitPath(ctx, path);
        const change = updateOptions('assocIn', options, ref.key);
        // a private copy now, so later mutation of `value` cannot change what is written
        const copy = ctx.codec.copy(ref, value);
        return {
          ids: ref.ids,
          key: ref.key,
          *run(out) {
            const r = yield* updateValue(ctx, ref, 'assocIn', path, (fresh) => updatePath(fresh(), steps, () => copy, ref.key), change);
            out.emit({ old: r.readOld(), new: r.new });
          },
        };
      }),
    updateIn: (path: Path, fnOrSpec: unknown, ...args: unknown[]) =>
      operation<Change>(ctx, 'updateIn', () => {
        const { ref, steps } = splitPath(ctx, path);
        const { fn, change } = updateArgs('updateIn', fnOrSpec, ref.key);
        return {
          ids: ref.ids,
          key: ref.key,
          *run(out) {
            let result: Change | undefined;
            yield* updateValue(
              ctx,
              ref,
              'updateIn',
              path,
              (fresh) =>
                updatePath(
                  fresh(),
                  steps,
                  (old) => {
                    const next = syncResult('updateIn', fn(old, ...args), ref.key);
                    result = { old: getPath(fresh(), steps, undefined), new: next };
                    return next;
                  },
                  ref.key,
                ),
              change,
            );
            out.emit(result!);
          },
        };
      }),
  } as PathMethods;
}

function splitPath(ctx: StoreContext, path: Path): { ref: KeyRef; steps: Array<string | number> } {
  if (!Array.isArray(path) || path.length === 0) throw invalidArgument('a path is a non-empty array: [key, ...steps]');
  const [key, ...steps] = path as [unknown, ...unknown[]];
  for (const step of steps) {
    if (typeof step !== 'string' && typeof step !== 'number') throw invalidArgument(`path steps are strings or numbers, got ${typeof step}`, key);
  }
  return { ref: refIn(ctx, key), steps: steps as Array<string | number> };
}
