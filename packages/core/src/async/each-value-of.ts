/** An Observable as an AsyncIterable: one subscription per loop, ended when the loop ends. */
import type { Observable, Subscription } from 'rxjs';

/**
 * Iterates the values of `source`. Each `for await` loop subscribes once, when it asks for its
 * first value, and unsubscribes when it ends early (`break`, `return`, a throw). Values that
 * arrive faster than the loop takes them are buffered in order; an error notification rejects
 * the next read, after the values delivered before it.
 * @param source - any Observable
 * @returns an AsyncIterable of its values
 */
export function eachValueOf<T>(source: Observable<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => iterate(source) };
}

type Settled<T> = { done: false; value: T } | { done: true; error?: unknown };

function iterate<T>(source: Observable<T>): AsyncIterator<T> {
  const buffered: Settled<T>[] = [];
  const waiting: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  let subscription: Subscription | undefined;
  let ended = false;

  const deliver = (item: Settled<T>): void => {
    const reader = waiting.shift();
    if (reader === undefined) buffered.push(item);
    else if (!item.done) reader.resolve({ done: false, value: item.value });
    else settleEnd(item, reader);
  };
  // the end (complete or error) is sticky: every later read sees it again
  const settleEnd = (end: { done: true; error?: unknown }, reader: (typeof waiting)[number]): void => {
    if ('error' in end) reader.reject(end.error);
    else reader.resolve({ done: true, value: undefined });
  };

  return {
    next(): Promise<IteratorResult<T>> {
      subscription ??= source.subscribe({
        next: (value) => deliver({ done: false, value }),
        error: (error: unknown) => deliver({ done: true, error }),
        complete: () => deliver({ done: true }),
      });
      const item = buffered[0];
      if (item !== undefined) {
        if (!item.done) {
          buffered.shift();
          return Promise.resolve({ done: false, value: item.value });
        }
        return new Promise((resolve, reject) => settleEnd(item, { resolve, reject }));
      }
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return(): Promise<IteratorResult<T>> {
      ended = true;
      subscription?.unsubscribe();
      buffered.length = 0;
      for (const reader of waiting.splice(0)) reader.resolve({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}
