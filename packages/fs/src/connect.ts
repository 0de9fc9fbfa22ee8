/** The convenience factory: a Store over a file backing, opened before it is emitted. */
import type { Observable } from 'rxjs';
import { connectBacking, pickOptions, type Store } from '@konserve-rx/core';
import { fileBacking } from './file-backing';
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
  return connectBacking(
    'connectFileStore',
    options,
    FILE_STORE_OPTIONS,
    () => fileBacking(pickOptions(options, FILE_BACKING_OPTIONS) as FileBackingOptions),
    (backing) => backing.init(),
  );
}
