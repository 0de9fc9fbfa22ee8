/**
 * Opening a store folder: create it, read (or create) the marker that records its layout, and
 * remove leftover temp and lock files. The marker makes the layout a property of the store, so opening an
 * existing store with another `shard` option still finds every blob.
 */
import { link, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { discardTemp, writeAll, writeTemp } from './atomic-write';
import type { FileContext } from './internal/context';
import { badMarker, newerLayout } from './internal/errors';
import { errnoOf, toIoError } from './internal/fs-util';
import { MARKER_FILE, type Layout } from './paths';
import type { FileLockOptions } from './file-lock';
import { removeLeftovers } from './leftovers';

/** The on-disk layout version this code writes and reads. */
export const LAYOUT_VERSION = 1;
/** The `store` field of the marker file. */
export const MARKER_KIND = 'konserve-rx-fs';

/**
 * Opens (creating when needed) the store folder at `root`; `locks` judges leftover lock files.
 * @returns the store's layout. Errors with `ERR_IO` naming the path (e.g. `root` is a regular
 * file), `ERR_FORMAT` for a layout written by a newer version, `ERR_CORRUPT` for a broken marker.
 */
export async function openStore(ctx: FileContext, root: string, shard: boolean, locks: FileLockOptions): Promise<Layout> {
  try {
    await ctx.ensureDir(root);
    const layout = (await readMarker(root)) ?? (await createMarker(ctx, root, shard));
    await removeLeftovers(layout, locks);
    return layout;
  } catch (e) {
    throw toIoError(e, root);
  }
}

/** The layout recorded in the marker of `root`, or `undefined` when there is none. */
export async function readMarker(root: string): Promise<Layout | undefined> {
  const path = join(root, MARKER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
  let marker: { store?: unknown; layout?: unknown; shard?: unknown };
  try {
    marker = JSON.parse(text) as typeof marker;
  } catch {
    throw badMarker('not JSON', path);
  }
  if (marker.store !== MARKER_KIND || typeof marker.layout !== 'number' || typeof marker.shard !== 'boolean') {
    throw badMarker('missing fields', path);
  }
  if (marker.layout > LAYOUT_VERSION) {
    throw newerLayout(marker.layout, LAYOUT_VERSION, path);
  }
  return { root, shard: marker.shard };
}

/** Writes the marker unless another process wins the race; either way returns the recorded layout. */
async function createMarker(ctx: FileContext, root: string, shard: boolean): Promise<Layout> {
  const path = join(root, MARKER_FILE);
  const bytes = Buffer.from(`${JSON.stringify({ store: MARKER_KIND, layout: LAYOUT_VERSION, shard })}\n`);
  const tmp = await writeTemp(ctx, root, MARKER_FILE, (fh) => writeAll(fh, bytes, 0));
  try {
    // link() creates the name only if absent: two processes creating one store agree on a layout
    await link(tmp, path);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') await rename(tmp, path);
    else if (code !== 'EEXIST') throw e;
  } finally {
    await discardTemp(tmp);
  }
  if (ctx.fsync) await ctx.dirSync(root);
  return (await readMarker(root)) ?? { root, shard };
}
