/** The body every backend's `connect<X>Store` convenience factory shares. */
import { Observable } from 'rxjs';
import type { BackingStore } from './backing';
import { createStore } from './create-store';
import { ioError } from './errors';
import { checkOptions, pickOptions, type OptionNames } from './internal/check-options';
import { STORE_OPTIONS } from './options';
import type { Store } from './store-api';

/**
 * Connects a Store over a backing built from checked options: checks `options` against `allowed`
 * (the error names `factory`), builds the backing with `open`, waits for its `ready()` when it has
 * one (or for `ready(backing)` when given), and emits a Store with the core options picked from
 * `options`. Unsubscribing before the backing is ready closes it; so does a failed `ready()`.
 * @param factory - the public function's name, for error messages
 * @param options - the options as the user passed them
 * @param allowed - every option name the factory accepts (backing and store options)
 * @param open - builds the backing; called once per subscription, after the check
 * @param ready - resolves when the backing can take calls
 * @default ready - the backing's own `ready()`, when it has one
 * @returns a cold Observable emitting the Store once, then completing; errors with
 *   `ERR_INVALID_ARGUMENT` for a bad option, with what `open` throws, or with `ERR_IO` (a
 *   KonserveError passes unchanged) when `ready()` fails
 * @example
 * ```ts
 * export const connectMyStore = (options: MyStoreOptions) =>
 *   connectBacking<unknown>('connectMyStore', options, MY_STORE_OPTIONS, () => myBacking(pickOptions(options, MY_BACKING_OPTIONS)));
 * ```
 */
export function connectBacking<V, B extends BackingStore = BackingStore & { ready?(): Promise<void> }>(
  factory: string,
  options: object | undefined,
  allowed: OptionNames,
  open: () => B,
  ready: (backing: B) => Promise<unknown> | undefined = (backing) => (backing as { ready?(): Promise<void> }).ready?.(),
): Observable<Store<V>> {
  return new Observable<Store<V>>((subscriber) => {
    let backing: B;
    try {
      checkOptions(factory, options, allowed);
      backing = open();
    } catch (e) {
      subscriber.error(e);
      return;
    }
    const emit = (): void => {
      subscriber.next(createStore<V>(backing, pickOptions(options, STORE_OPTIONS)));
      subscriber.complete();
    };
    const opening = ready(backing);
    if (opening === undefined) return emit();
    let left = false;
    opening.then(
      () => (left ? void backing.close?.() : emit()),
      (e: unknown) => {
        void backing.close?.();
        subscriber.error(ioError(e));
      },
    );
    return () => {
      left = true;
    };
  });
}
