/** exists, get, getMeta, assoc, update and dissoc. */
import { checkOptions } from '../../internal/check-options';
import { refIn } from '../scope';
import type { KeyRef } from '../../format/key';
import { ASSOC_OPTIONS } from './call-options';
import { io, publish, type ChangeRecord, type StoreContext } from '../engine/context';
import { isThenable, wait, type Flow } from '../engine/flow';
import type { MaybePromise } from '../../backing';
import { noticeOf } from '../remote';
import type { PreparedBlob } from '../write';
import { KeyCallPlan, type Sink } from '../engine/plan';
import { dissocKey, dissocUnlocked } from '../dissoc';
import { operation } from '../engine/operation';
import { callFlow } from '../engine/run';
import { readMeta, ReadValuePlan } from '../read';
import { syncResult, updateArgs, updateValue } from '../update';
import { ttlExpiry } from '../expiry';
import { prepareValueBlob, settledLater } from '../write';
import type { Change, Key, Meta, Store, AssocOptions } from '../../store-api';

type ValueMethods = Pick<Store, 'exists' | 'get' | 'getMeta' | 'assoc' | 'update' | 'dissoc'>;

/** The single-key value methods of a Store: exists, get, getMeta, assoc, update, dissoc. */
export function valueMethods(ctx: StoreContext): ValueMethods {
  return {
    exists: (key: Key) =>
      operation<boolean>(ctx, 'exists', () => {
        const ref = refIn(ctx, key);
        return {
          ids: ref.ids,
          mode: 'read',
          *run(out) {
            out.emit((yield* readMeta(ctx, ref.id, ref.key)) !== undefined);
          },
        };
      }),
    get: (key: Key, notFound?: unknown) => operation<unknown>(ctx, 'get', () => new ReadValuePlan(ctx, refIn(ctx, key), notFound)),
    getMeta: (key: Key) =>
      operation<Meta | undefined>(ctx, 'getMeta', () => {
        const ref = refIn(ctx, key);
        return {
          ids: ref.ids,
          mode: 'read',
          *run(out) {
            out.emit(yield* readMeta(ctx, ref.id, ref.key));
          },
        };
      }),
    assoc: (key: Key, value: unknown, options?: AssocOptions) =>
      operation<Meta>(ctx, 'assoc', () => {
        const ref = refIn(ctx, key);
        checkOptions('assoc', options, ASSOC_OPTIONS);
        // encoded now, at subscribe: mutating `value` afterwards cannot change what is written
        const expiry = ttlExpiry('assoc', options?.ttl, ref.key);
        // (an asynchronous compressor or encryptor finishes later, from the serialized bytes)
        const blob = settledLater(prepareValueBlob(ctx, ref, value, options?.meta, expiry));
        if (!isThenable(blob)) return new AssocPlan(ctx, ref, blob);
        return {
          ids: ref.ids,
          key: ref.key,
          startsUnlocked: true,
          *run(out) {
            yield* callFlow(new AssocPlan(ctx, ref, yield* wait(blob)), out);
          },
          runUnlocked:
            ctx.backing.writeIfUnlocked === undefined
              ? undefined
              : function* (out: Sink<Meta>) {
                  return yield* writeUnlocked(ctx, ref, yield* wait(blob), out);
                },
        };
      }),
    update: (key: Key, fnOrSpec: unknown, ...args: unknown[]) =>
      operation<Change>(ctx, 'update', () => {
        const ref = refIn(ctx, key);
        const { fn, change } = updateArgs('update', fnOrSpec, ref.key);
        return {
          ids: ref.ids,
          key: ref.key,
          *run(out) {
            const next = (fresh: () => unknown): unknown => syncResult('update', fn(fresh(), ...args), ref.key);
            const r = yield* updateValue(ctx, ref, 'update', undefined, next, change);
            out.emit({ old: r.readOld(), new: r.new });
          },
        };
      }),
    dissoc: (key: Key) =>
      operation<boolean>(ctx, 'dissoc', () => {
        const ref = refIn(ctx, key);
        return {
          ids: ref.ids,
          key: ref.key,
          startsUnlocked: true,
          *run(out) {
            out.emit(yield* dissocKey(ctx, ref, 'dissoc'));
          },
          // a conditional, not a spread (see assoc)
          runUnlocked:
            ctx.backing.deleteIfUnlocked === undefined
              ? undefined
              : function* (out: Sink<boolean>) {
                  const existed = yield* dissocUnlocked(ctx, ref, 'dissoc');
                  if (existed === undefined) return false;
                  out.emit(existed);
                  return true;
                },
        };
      }),
  } as ValueMethods;
}

/** The change record of an assoc; its value decodes lazily, for each listener. */
function assocRecord(ctx: StoreContext, ref: KeyRef, blob: PreparedBlob): ChangeRecord {
  return { op: 'assoc', key: ref.key, id: ref.id, meta: blob.meta, metaBytes: blob.metaBytes, value: () => ctx.codec.decode(ref, ctx.codec.ids, blob.value) };
}

/**
 * `assoc` of an encoded blob: one backing call and what follows it, so a plan of two methods and
 * no closure (see CallPlan). A backing that checks its cross-process lock with the write gets
 * `runUnlocked` (a closure, made only for such a backing).
 */
class AssocPlan extends KeyCallPlan<Meta, void> {
  readonly startsUnlocked = true;
  readonly runUnlocked: ((out: Sink<Meta>) => Flow<boolean>) | undefined;

  constructor(
    ctx: StoreContext,
    ref: KeyRef,
    private readonly blob: PreparedBlob,
  ) {
    super(ctx, ref);
    this.runUnlocked = ctx.backing.writeIfUnlocked === undefined ? undefined : (out) => writeUnlocked(ctx, ref, blob, out);
  }

  /** Writes the blob. */
  call(): MaybePromise<void> {
    const { blob } = this;
    return this.ctx.backing.write(blob.id, blob.bytes, blob.meta.expiresAt);
  }

  /** Shares the change, and emits the Meta written. */
  answered(_: void, out: Sink<Meta>): void {
    const { ctx, ref, blob } = this;
    // the change record only when someone listens: this runs on every write
    if (ctx.announce !== undefined || ctx.changes.observed) publish(ctx, assocRecord(ctx, ref, blob));
    out.emit(blob.meta);
  }
}

/**
 * `assoc` in one step on a multi-process backing that can check its lock with the write: the
 * blob is written, and the change shared, unless another holder has the key's lock.
 * @returns false when the lock is held (nothing was written): the plan then runs under the lock
 */
function* writeUnlocked(ctx: StoreContext, ref: KeyRef, blob: PreparedBlob, out: Sink<Meta>): Flow<boolean> {
  const notice = ctx.announce === undefined ? undefined : noticeOf(assocRecord(ctx, ref, blob));
  const written = yield* io(blob.meta.key, () => ctx.backing.writeIfUnlocked!(blob.id, blob.bytes, notice, blob.meta.expiresAt));
  if (!written) return false;
  // shared with other instances by the write itself; this instance's listeners hear it here
  if (ctx.changes.observed) ctx.changes.next(assocRecord(ctx, ref, blob));
  out.emit(blob.meta);
  return true;
}
