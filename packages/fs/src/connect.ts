/** The convenience factory: a Store over a file backing, opened before it is emitted. */
import { defer, from, map, type Observable } from 'rxjs';
import { backendOptions, checkOptions, createStore, pickOptions, registerBackend, STORE_OPTIONS, type Store, type StoreConfig } from '@konserve-rx/core';
import { resolve } from 'node:path';
import { deleteFileStore } from './delete-store';
import { FILE_BACKEND_NAME, fileBacking } from './file-backing';
import { badArgument } from './internal/errors';
import { toIoError } from './internal/fs-util';
import { readMarker } from './open-store';
import { FILE_BACKING_OPTIONS, FILE_STORE_OPTIONS, type FileBackingOptions, type FileStoreOptions } from './options';

/**
 * Opens (creating when needed) the file store in `options.path`.
 * An unknown or misspelled option fails with `ERR_INVALID_ARGUMENT` naming it (as an error notification).
 * @param options - the folder, the backing settings and core's store options
 * @returns an Observable that opens the folder (creating it, removing leftover temp files) on
 * subscribe, then emits the `Store` and completes; errors with `ERR_IO` naming the path when the
 * folder cannot be used (e.g. it is a regular file)
 * @example
 * ```ts
 * connectFileStore({ path: './data' })
 *   .pipe(switchMap((store) => store.update('visits', (n = 0) => n + 1)))
 *   .subscribe(({ new: visits }) => console.log(visits));
 * ```
 */
export function connectFileStore(options: FileStoreOptions): Observable<Store> {
  return defer(() => {
    checkOptions('connectFileStore', options, FILE_STORE_OPTIONS);
    const backing = fileBacking(pickOptions(options, FILE_BACKING_OPTIONS) as FileBackingOptions);
    return from(backing.init()).pipe(map(() => createStore(backing, pickOptions(options, STORE_OPTIONS))));
  });
}

// importing the package makes `connectStore({ backend: 'file', path })` work; a store exists
// once its folder holds the marker file, and deleteStore removes the folder (see docs/lifecycle.md)
registerBackend(FILE_BACKEND_NAME, {
  connect: (config) => connectFileStore(backendOptions(config) as unknown as FileStoreOptions),
  exists: (config) =>
    defer(async () => {
      const root = resolve(pathOf(config));
      try {
        return (await readMarker(root)) !== undefined;
      } catch (e) {
        throw toIoError(e, root);
      }
    }),
  delete: (config) => defer(() => deleteFileStore(pathOf(config))),
});

function pathOf(config: StoreConfig): string {
  if (typeof config.path !== 'string' || config.path === '') throw badArgument(`a '${FILE_BACKEND_NAME}' store config needs a non-empty \`path\``);
  return config.path;
}
