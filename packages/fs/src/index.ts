/**
 * `@konserve-rx/fs`: the durable, crash-safe, multi-process file backend of konserve-rx.
 * Each blob is one file, written atomically (temp file, fsync, rename, folder fsync).
 */
import './register';
export { FILE_BACKEND_NAME, fileBacking } from './file-backing';
export type { FileBacking } from './file-backing';
export { connectFileStore } from './connect';
export { deleteFileStore } from './delete-store';
export type { FileBackingOptions, FileStoreOptions } from './options';
