/** Removal of a whole file store folder. */
import { readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defer, type Observable } from 'rxjs';
import { badArgument } from './internal/errors';
import { errnoOf, toIoError } from './internal/fs-util';
import { MARKER_FILE } from './paths';

/**
 * Deletes the file store at `path` with everything in it. Refuses a non-empty folder that is not
 * a store (no marker file), so a wrong path cannot wipe unrelated files. Close the store first.
 * @param path - the store folder
 * @returns an Observable that emits `undefined` once the folder is gone (also when it never
 * existed), then completes; errors with `ERR_INVALID_ARGUMENT` for a folder that is not a store,
 * `ERR_IO` when it cannot be removed
 * @example
 * ```ts
 * await lastValueFrom(deleteFileStore('./data'));
 * ```
 */
export function deleteFileStore(path: string): Observable<void> {
  return defer(async () => {
    const root = resolve(path);
    let names: string[];
    try {
      names = await readdir(root);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return;
      throw toIoError(e, root);
    }
    if (names.length > 0 && !names.includes(MARKER_FILE)) {
      throw badArgument(`refusing to delete ${root}: it is not a konserve-rx file store (no ${MARKER_FILE})`);
    }
    try {
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      throw toIoError(e, root);
    }
  });
}
