/**
 * `keys()`: lists the backing and reads each user blob's Meta (reading ahead on asynchronous
 * backings). An entry that cannot be read goes to the caller's `onDamaged` policy instead of
 * ending the listing; a failure of the storage itself still ends it.
 */
import type { MaybePromise } from '../backing';
import { invalidArgument, isKonserveError, KonserveError, unreadableEntry, type KonserveErrorCode } from '../errors';
import { runFlow, wait, type Flow } from './engine/flow';
import type { KeysOptions, Meta } from '../store-api';
import { io, type StoreContext } from './engine/context';
import type { Sink } from './engine/plan';
import { readMeta } from './read';
import { listScope, ownsKeyId } from './scope';

/** What the listing does with an unreadable entry's error: `KeysOptions.onDamaged` as a function. */
export type DamagedPolicy = (error: KonserveError) => void;

/**
 * Metas read at once while listing an asynchronous backing. Each `readMeta` is a round trip
 * (three system calls on fs, a command on Redis): reading ahead overlaps them, while emitting in
 * list order and holding at most this many Metas, so memory stays bounded however many keys.
 */
export const KEYS_READ_AHEAD = 16;

/**
 * The policy `options.onDamaged` asks for; errors with `ERR_INVALID_ARGUMENT` on anything else.
 * @param options - the options given to `keys()`
 * @returns a function that ignores, reports or throws an unreadable entry's error
 */
export function damagedPolicy(options: KeysOptions | undefined): DamagedPolicy {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidArgument('keys: options must be an object');
  const on = options?.onDamaged ?? 'skip';
  if (typeof on === 'function') return on;
  if (on === 'skip') return () => undefined;
  if (on === 'fail') {
    return (error) => {
      throw error;
    };
  }
  throw invalidArgument(`keys: onDamaged must be 'skip', 'fail' or a function, not ${JSON.stringify(on)}`);
}

/** Emits the Meta of every listed user blob of the context's scope; unreadable entries go to `onDamaged`. */
export function* listKeys(ctx: StoreContext, out: Sink<Meta>, onDamaged: DamagedPolicy): Flow<void> {
  const list = yield* io(undefined, () => listScope(ctx));
  const deliver = (entry: Listed): void => {
    if (entry instanceof KonserveError) {
      // the policy may call the user or fail: what was listed before is delivered first
      out.flush();
      onDamaged(entry);
    } else if (entry !== undefined) out.emit(entry);
  };
  if (Symbol.asyncIterator in list) return yield* readAhead(ctx, list, deliver, out);
  for (const id of list) {
    if (out.stopped()) return;
    if (ownsKeyId(ctx, id)) deliver(yield* readListed(ctx, id));
  }
}

/** One listed blob: its Meta, the error that makes it unreadable, or `undefined` when it vanished meanwhile. */
type Listed = Meta | KonserveError | undefined;

/** Codes that describe one entry's bytes, never the storage: the entry is unreadable, the listing goes on. */
const ENTRY_CODES: ReadonlySet<KonserveErrorCode> = new Set(['ERR_CORRUPT', 'ERR_FORMAT']);

/**
 * Reads one listed blob's Meta. An `ERR_IO` may be the storage's failure rather than the entry's:
 * it counts as the entry's only when a second read fails too (not a passing blip) while the
 * backing still answers `has` for the id (the storage works; this blob's bytes cannot be read).
 */
function* readListed(ctx: StoreContext, id: string): Flow<Listed> {
  const first = yield* tryReadMeta(ctx, id);
  if (!isKonserveError(first, 'ERR_IO')) return first;
  const second = yield* tryReadMeta(ctx, id);
  if (!isKonserveError(second, 'ERR_IO')) return second;
  let exists: boolean;
  try {
    exists = yield* io(undefined, () => ctx.backing.has(id));
  } catch {
    throw second;
  }
  return exists ? unreadableEntry(id, second) : undefined;
}

/** The blob's Meta, or the entry's error (an `ERR_IO` as it is, to be judged by the caller); other errors throw. */
function* tryReadMeta(ctx: StoreContext, id: string): Flow<Listed> {
  try {
    return yield* readMeta(ctx, id, undefined);
  } catch (e) {
    if (isKonserveError(e, 'ERR_IO')) return e;
    if (isKonserveError(e) && ENTRY_CODES.has(e.code)) return unreadableEntry(id, e);
    throw e;
  }
}

/**
 * Lists an asynchronous listing with up to {@link KEYS_READ_AHEAD} Meta reads in flight, delivered
 * in listing order.
 */
function* readAhead(ctx: StoreContext, list: AsyncIterable<string>, deliver: (entry: Listed) => void, out: Sink<Meta>): Flow<void> {
  const it = list[Symbol.asyncIterator]();
  const pending: Array<Promise<Listed>> = [];
  let listed = false;
  try {
    while (!out.stopped()) {
      while (!listed && pending.length < KEYS_READ_AHEAD) {
        const next = yield* io(undefined, () => it.next());
        if (next.done) listed = true;
        else if (ownsKeyId(ctx, next.value)) pending.push(settleLater(runFlow(readListed(ctx, next.value))));
      }
      const head = pending.shift();
      if (head === undefined) return;
      const entry = yield* wait(head);
      if (!out.stopped()) deliver(entry);
    }
  } finally {
    // reads already started finish before keys() ends, errs or lets close() proceed: nothing of
    // a finished keys() still runs against the backing
    yield* wait(Promise.allSettled(pending));
    if (it.return) yield* wait(it.return());
  }
}

/** A promise of `x` whose rejection counts as handled until someone awaits it (it waits its turn in the window). */
function settleLater<T>(x: MaybePromise<T>): Promise<T> {
  const p = Promise.resolve(x);
  p.catch(() => undefined);
  return p;
}
