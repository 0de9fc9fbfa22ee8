/**
 * The one concurrency engine behind every store operator (the idea of rxjs's `mergeInternals`):
 * maps each input to an inner Observable, runs at most `concurrency` of them at once, and emits
 * their values either in input order (`ordered`, buffering results that finish early) or as they
 * arrive. Inner Observables are subscribed in input order, which is what makes the Store's
 * per-key locks apply writes of the same key in input order, whatever the completion order.
 */
import { Observable, from, map, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import { invalidArgument } from '../../errors';
import { checkOptions } from '../../internal/check-options';
import { DEFAULT_CONCURRENCY, OPERATOR_OPTIONS, type Keyed, type OperatorOptions } from '../options';

/** Maps each input to its inner Observable; `index` counts inputs from 0. */
export type Project<T, R> = (value: T, index: number) => ObservableInput<R>;

/**
 * Maps every input through `project` with bounded concurrency.
 * @param name - the operator's name, for error messages
 * @param project - the work for one input
 * @param options - `concurrency` and `ordered`
 * @returns an operator emitting every inner value; it completes when the source and every inner
 *   Observable have completed, and errors with the first error of either (an invalid option
 *   or an unknown one errors with `ERR_INVALID_ARGUMENT` on subscribe)
 */
export function concurrentMap<T, R>(name: string, project: Project<T, R>, options: OperatorOptions = {}): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      try {
        checkOptions(name, options, OPERATOR_OPTIONS);
      } catch (e) {
        subscriber.error(e);
        return undefined;
      }
      const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
      if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 1))) {
        subscriber.error(invalidArgument(`${name}: concurrency must be a positive integer or Infinity, got ${String(limit)}`));
        return undefined;
      }
      const run = runner(subscriber, project, limit, options.ordered ?? true);
      const sourceSub = source.subscribe({
        next: (value) => run.push(value),
        error: (e: unknown) => subscriber.error(e),
        complete: () => run.end(),
      });
      return () => {
        sourceSub.unsubscribe();
        run.stop();
      };
    });
}

/**
 * Pairs each inner value with the input it came from, when asked to.
 * @param project - the work for one input
 * @param withKey - emit `[key, result]` instead of `result`
 * @param keyOf - the key of an input (the input itself, or the key of an entry)
 * @returns the project function to hand to {@link concurrentMap}
 */
export function keyed<T, K, R>(project: Project<T, R>, withKey: boolean | undefined, keyOf: (input: T) => K): Project<T, R | Keyed<K, R>> {
  if (withKey !== true) return project;
  return (input, index) => from(project(input, index)).pipe(map((result): Keyed<K, R> => [keyOf(input), result]));
}

interface Runner<T> {
  push(value: T): void;
  end(): void;
  stop(): void;
}

/** Where results go: the operator's subscriber. */
interface Sink<R> {
  next(value: R): void;
  error(e: unknown): void;
  complete(): void;
  readonly closed: boolean;
}

/** How results of concurrent inputs reach the sink: `begin` when an input starts, `finish` when it completes. */
interface Order<R> {
  begin(index: number): void;
  emit(index: number, value: R): void;
  finish(index: number): void;
}

function runner<T, R>(out: Sink<R>, project: Project<T, R>, limit: number, ordered: boolean): Runner<T> {
  const order = ordered ? inputOrder(out) : completionOrder(out);
  const queue: T[] = [];
  let queueStart = 0;
  let nextIndex = 0;
  let active = 0;
  let ended = false;
  let draining = false;
  const inners = new Set<Subscription>();

  const start = (value: T, index: number): void => {
    active++;
    order.begin(index);
    let inner: ObservableInput<R>;
    try {
      inner = project(value, index);
    } catch (e) {
      return out.error(e);
    }
    const sub = from(inner).subscribe({
      next: (v) => order.emit(index, v),
      error: (e: unknown) => out.error(e),
      complete: () => {
        active--;
        order.finish(index);
        drain();
      },
    });
    if (!sub.closed) {
      inners.add(sub);
      sub.add(() => inners.delete(sub));
    }
  };
  // a loop rather than recursion: inner Observables that complete synchronously (memory) would
  // otherwise nest one stack frame per queued input
  const drain = (): void => {
    if (draining) return;
    draining = true;
    while (queueStart < queue.length && active < limit && !out.closed) {
      const value = queue[queueStart] as T;
      queue[queueStart++] = undefined as T;
      if (queueStart > 1024 && queueStart * 2 > queue.length) {
        queue.splice(0, queueStart);
        queueStart = 0;
      }
      start(value, nextIndex++);
    }
    draining = false;
    if (ended && active === 0 && queueStart >= queue.length && !out.closed) out.complete();
  };

  return {
    push: (value) => {
      queue.push(value);
      drain();
    },
    end: () => {
      ended = true;
      drain();
    },
    stop: () => {
      for (const sub of [...inners]) sub.unsubscribe();
      queue.length = 0;
      queueStart = 0;
    },
  };
}

/** Results as their inputs complete. */
function completionOrder<R>(out: Sink<R>): Order<R> {
  return { begin: () => undefined, emit: (_index, value) => out.next(value), finish: () => undefined };
}

/**
 * Results in input order: the earliest unfinished input (the head) emits live; inputs that run
 * ahead of it buffer their values in a slot until the head and everything before them finished.
 */
function inputOrder<R>(out: Sink<R>): Order<R> {
  const slots = new Map<number, { readonly values: R[]; done: boolean }>();
  let head = 0;
  // the head finished: flush the slots that follow, in order, up to one still running
  const advance = (): void => {
    head++;
    for (let slot = slots.get(head); slot !== undefined && !out.closed; slot = slots.get(head)) {
      for (const v of slot.values.splice(0)) out.next(v);
      if (!slot.done) break;
      slots.delete(head);
      head++;
    }
  };
  return {
    begin: (index) => {
      if (index !== head) slots.set(index, { values: [], done: false });
    },
    emit: (index, value) => {
      if (index === head) out.next(value);
      else slots.get(index)?.values.push(value);
    },
    finish: (index) => {
      if (index !== head) {
        const slot = slots.get(index);
        if (slot) slot.done = true;
        return;
      }
      slots.delete(index);
      advance();
    },
  };
}
