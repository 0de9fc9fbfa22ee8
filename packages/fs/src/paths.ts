/**
 * The on-disk layout of a file store: where a blob id lives, and the names of the temp, lock and
 * marker files beside it. Every name that is not a blob contains a character outside the blob id
 * alphabet `[0-9a-z.-]` (`~` or `_`), so no blob id can ever collide with one of them.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { badArgument } from './internal/errors';

/** The layout of one opened store: its root folder and whether blobs live in shard sub-folders. */
export interface Layout {
  /** The store's root folder. */
  readonly root: string;
  /** Blobs live in `<root>/<first 2 chars of id>/` when true, in `<root>/` when false. */
  readonly shard: boolean;
}

/** The marker file recording the layout; its `_` keeps it out of the blob id alphabet. */
export const MARKER_FILE = 'konserve_rx_store.json';

const BLOB_NAME = /^[0-9a-z.-]{1,200}$/;
/** A shard folder name: two id characters, with `.` replaced by `_` so `..` never occurs. */
const SHARD_NAME = /^[0-9a-z_-]{2}$/;
/** `<name>~<pid>-<random hex>.tmp`: the pid lets cleanup spare writes of live processes. */
const TEMP_NAME = /~(\d+)-[0-9a-f]+\.tmp$/;

/** True when `name` can be a blob id (and so a blob file name). */
export function isBlobName(name: string): boolean {
  return BLOB_NAME.test(name) && name !== '.' && name !== '..';
}

/** True when `name` can be a shard folder name. */
export function isShardName(name: string): boolean {
  return SHARD_NAME.test(name);
}

/** The shard folder name of a blob id: its first two characters, `.` mapped to `_`. */
export function shardOf(id: string): string {
  return id.slice(0, 2).padEnd(2, '_').replace(/\./g, '_');
}

/** The folder holding blob `id`. Errors on an id outside the blob alphabet (a bug in the caller). */
export function blobDir(layout: Layout, id: string): string {
  // core only passes hashed ids; this check keeps a bug from ever turning into a path escape
  if (!isBlobName(id)) throw badArgument(`invalid blob id ${JSON.stringify(id)}`);
  return layout.shard ? join(layout.root, shardOf(id)) : layout.root;
}

/** The file of blob `id`. */
export function blobPath(layout: Layout, id: string): string {
  return join(blobDir(layout, id), id);
}

/** A fresh, unique temp file path for writing `name` inside `dir`. */
export function tempPath(dir: string, name: string): string {
  return join(dir, `${name}~${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** The pid that wrote temp file `name`, or `undefined` when `name` is not a temp file. */
export function tempOwner(name: string): number | undefined {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The lock file guarding blob `id` (never the blob file itself). */
export function lockPath(layout: Layout, id: string): string {
  return join(blobDir(layout, id), `${id}${LOCK_SUFFIX}`);
}

/** The suffix of lock files; a lock's breaker file adds {@link BREAKER_SUFFIX}. */
export const LOCK_SUFFIX = '~.lock';
/** The suffix a lock file's breaker adds to the lock file's name. */
export const BREAKER_SUFFIX = '.break';

/** True for the name of a lock file or of its breaker. */
export function isLockName(name: string): boolean {
  return name.endsWith(LOCK_SUFFIX) || name.endsWith(LOCK_SUFFIX + BREAKER_SUFFIX);
}
