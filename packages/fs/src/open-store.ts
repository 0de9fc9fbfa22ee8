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
import { removeLeftovers } from './leftovers';
import { joinFolder, type FolderSession, type SessionOptions } from './sessions';

/** An opened store folder: its layout and this backing's session in it. */
export interface OpenedStore {
  /** Where the blobs live. */
  readonly layout: Layout;
  /** This backing's membership of the folder (closing the backing leaves it). */
  readonly session: FolderSession;
}

/** The on-disk layout version this code writes and reads. */
export const LAYOUT_VERSION = 1;
/** The `store` field of the marker file. */
export const MARKER_KIND = 'konserve-rx-fs';

/**
 * Opens (creating when needed) the store folder at `root` and joins it: registers a session, and
 * sweeps leftover temp and lock files only when a session shows a crash (see sessions.ts).
 * @returns the store's layout and session. Errors with `ERR_IO` naming the path (e.g. `root` is a
 * regular file), `ERR_FORMAT` for a layout written by a newer version, `ERR_CORRUPT` for a broken marker.
 */
export async function openStore(ctx: FileContext, root: string, shard: boolean, options: SessionOptions): Promise<OpenedStore> {
  let session: FolderSession | undefined;
  try {
    await ctx.ensureRoot();
    const layout = (await readMarker(root)) ?? (await createMarker(ctx, root, shard));
    session = await joinFolder(ctx, layout, options);
    if (session.needsSweep) {
      const removed = await removeLeftovers(layout, options);
      // a new folder is swept too (no session record yet): only leftovers make it a recovery
      if (removed > 0) options.report?.({ action: 'sweep', path: root, removed });
    }
    await session.settle();
    return { layout, session };
  } catch (e) {
    await session?.close();
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badMarker('not JSON', path);
  }
  // any JSON parses, `null` included: only a plain object can carry the fields
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badMarker('not a JSON object', path);
  const marker = parsed as { store?: unknown; layout?: unknown; shard?: unknown };
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
