/**
 * The backend's KonserveErrors. Core's index exports `KonserveError` and `ioError` but not its
 * other helpers, so the few other codes this package raises (and the one `ERR_IO` whose message
 * must say more than its cause) are built here, in one place.
 */
import { invalidArgument, KonserveError } from '@konserve-rx/core';

/** `ERR_INVALID_ARGUMENT`: a caller passed something this backend cannot use. */
export function badArgument(message: string): KonserveError {
  return invalidArgument(message);
}

/** `ERR_CORRUPT`: the store's marker file cannot be understood. */
export function badMarker(detail: string, path: string): KonserveError {
  return new KonserveError('ERR_CORRUPT', `the store marker is corrupt: ${detail}`, { path });
}

/** `ERR_FORMAT`: the store was written by a newer version with another layout. */
export function newerLayout(layout: number, supported: number, path: string): KonserveError {
  return new KonserveError('ERR_FORMAT', `unsupported stored format: file store layout ${layout} (this version reads ${supported})`, { path });
}

/**
 * `ERR_IO`: the store folder was deleted while a backing had it open. Writes fail rather than
 * re-create it, which would resurrect a deleted store without its marker.
 */
export function storeFolderGone(root: string, cause: unknown): KonserveError {
  return new KonserveError('ERR_IO', `the store folder ${root} is gone (deleted while the store was open); reopen the store to start a new one`, {
    path: root,
    cause,
  });
}
