/** The 'file' entry of core's backend registry: importing the package registers it. */
import { resolve } from 'node:path';
import { defer } from 'rxjs';
import { backendOptions, registerBackend, type StoreConfig } from '@konserve-rx/core';
import { connectFileStore } from './connect';
import { deleteFileStore } from './delete-store';
import { FILE_BACKEND_NAME } from './file-backing';
import { badArgument } from './internal/errors';
import { toIoError } from './internal/fs-util';
import { readMarker } from './open-store';
import type { FileStoreOptions } from './options';

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
