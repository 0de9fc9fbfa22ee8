/// <reference lib="dom" />
/**
 * Whether an IndexedDB store exists, and deleting one: the hooks behind `storeExists` and
 * `deleteStore` for `backend: 'indexeddb'`. A store exists from its first connection (which
 * creates its database) until it is deleted.
 */
import { invalidArgument, ioError } from '@konserve-rx/core';
import { defer, type Observable } from 'rxjs';
import type { IndexedDbBackingOptions } from './options';

/** What the lifecycle functions read of the options. */
export type IndexedDbLocation = Pick<IndexedDbBackingOptions, 'name' | 'indexedDB' | 'blockedTimeout'>;

/**
 * Tells whether database `options.name` exists, without creating it.
 * @param options - the database name (and IndexedDB implementation)
 * @returns an Observable emitting `true` or `false`, then completing; errors with `ERR_IO` when
 *   IndexedDB fails
 * @example
 * ```ts
 * indexedDbStoreExists({ name: 'notes' }).subscribe((exists) => console.log(exists));
 * ```
 */
export function indexedDbStoreExists(options: IndexedDbLocation): Observable<boolean> {
  return defer(
    () =>
      new Promise<boolean>((resolve, reject) => {
        // opening without a version creates a missing database at version 1 through an upgrade:
        // aborting that upgrade leaves nothing behind and tells that it was missing
        const req = factoryOf(options).open(options.name);
        let missing = false;
        req.onupgradeneeded = (e) => {
          missing = e.oldVersion === 0;
          if (missing) req.transaction?.abort();
        };
        req.onsuccess = () => {
          req.result.close();
          resolve(true);
        };
        req.onerror = (e) => {
          e.preventDefault();
          if (missing) resolve(false);
          else reject(ioError(req.error));
        };
      }),
  );
}

/**
 * Deletes database `options.name`. Open stores of this package over it close their connection at
 * once (their later operations fail with `ERR_IO`); a connection of other code that stays open
 * blocks the deletion, which fails with `ERR_IO` after `blockedTimeout`. Completes also when the
 * database never existed.
 * @param options - the database name (and IndexedDB implementation, blockedTimeout)
 * @returns an Observable emitting `undefined` once the database is gone, then completing
 * @example
 * ```ts
 * deleteIndexedDbStore({ name: 'notes' }).subscribe();
 * ```
 */
export function deleteIndexedDbStore(options: IndexedDbLocation): Observable<void> {
  return defer(
    () =>
      new Promise<void>((resolve, reject) => {
        const { name, blockedTimeout = 5000 } = options;
        const req = factoryOf(options).deleteDatabase(name);
        let timer: ReturnType<typeof setTimeout> | undefined;
        req.onblocked = () => {
          timer ??= setTimeout(() => {
            reject(
              ioError(
                new Error(
                  `deleting IndexedDB database "${name}" is blocked by a connection that stays open (another tab or library); it is deleted once that connection closes`,
                ),
              ),
            );
          }, blockedTimeout);
        };
        req.onsuccess = () => {
          clearTimeout(timer);
          resolve();
        };
        req.onerror = () => {
          clearTimeout(timer);
          reject(ioError(req.error));
        };
      }),
  );
}

function factoryOf(options: IndexedDbLocation): IDBFactory {
  if (typeof options?.name !== 'string' || options.name === '') throw invalidArgument('an IndexedDB store needs a database name: { name: string }');
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (factory === undefined) throw invalidArgument('this runtime has no IndexedDB; pass { indexedDB } (fake-indexeddb in Node)');
  return factory;
}
