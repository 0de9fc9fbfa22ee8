/**
 * The gc guard (konserve's `gc-guard`): a writer that stores values first and the pointer that
 * makes them reachable last leaves those values reachable from nothing in between. A mark that
 * runs then calls them garbage, and they were written before the sweep began, so its cutoff does
 * not spare them. A writer announces such a sequence with {@link unreferencedWrites}; the sweep's
 * cutoff never passes the start of the oldest sequence still open on the store.
 *
 * Open sequences are kept per physical store, in this process: by `storeId` when the store has
 * one (separate Stores over the same data share it), else by the Store and its scopes.
 */
import { defer, finalize, from, Observable, type ObservableInput } from 'rxjs';
import { storeContext } from '../create-store';
import { invalidArgument } from '../errors';
import type { Store } from '../store-api';
import type { StoreContext } from '../store/engine/context';

/** Open sequences: guard key → token → start (ms of the store's clock). */
const open = new Map<string | object, Map<number, number>>();
let tokens = 0;

/**
 * Runs `body` as one unreferenced-write sequence on `store`: from subscription until it
 * completes, errors or is unsubscribed, no sweep of the store (of any of its scopes, of any Store
 * with the same `storeId` in this process) deletes what the sequence writes. Wrap the whole
 * values-then-pointer sequence in it.
 * @param store - a Store made by `createStore` (or any `connectXStore`), or a scope of one
 * @param body - makes the sequence's work (an Observable, a Promise, ...) when subscribed
 * @returns a cold Observable emitting what `body` emits; errors with `ERR_INVALID_ARGUMENT` for a
 *   store not made by core
 * @example
 * ```ts
 * unreferencedWrites(store, () => store.assoc(id, node).pipe(switchMap(() => store.assoc('root', id)))).subscribe();
 * ```
 */
export function unreferencedWrites<T>(store: Store, body: () => ObservableInput<T>): Observable<T> {
  return defer(() => {
    const ctx = contextOf(store, 'unreferencedWrites');
    const key = guardKey(ctx);
    const token = ++tokens;
    const sequences = open.get(key) ?? new Map<number, number>();
    open.set(key, sequences);
    sequences.set(token, ctx.clock().getTime());
    return from(body()).pipe(
      finalize(() => {
        sequences.delete(token);
        if (sequences.size === 0 && open.get(key) === sequences) open.delete(key);
      }),
    );
  });
}

/**
 * The start of the oldest unreferenced-write sequence open on the context's store, in ms of its
 * clock, or `undefined` when none is open.
 */
export function oldestOpenWrite(ctx: StoreContext): number | undefined {
  const sequences = open.get(guardKey(ctx));
  if (sequences === undefined) return undefined;
  let oldest: number | undefined;
  for (const start of sequences.values()) if (oldest === undefined || start < oldest) oldest = start;
  return oldest;
}

/** How many unreferenced-write sequences are open on the context's store (a leaked one stops collection). */
export function openWriteCount(ctx: StoreContext): number {
  return open.get(guardKey(ctx))?.size ?? 0;
}

// the store's id names the physical store; without one, the lifecycle object every scope of one
// Store shares stands for it
function guardKey(ctx: StoreContext): string | object {
  return ctx.storeId ?? ctx.life;
}

function contextOf(store: Store, name: string): StoreContext {
  const ctx = store !== null && typeof store === 'object' ? storeContext(store) : undefined;
  if (ctx === undefined) throw invalidArgument(`${name} takes a Store made by createStore or a connectXStore`);
  return ctx;
}
