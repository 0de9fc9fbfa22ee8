/**
 * Creating and reading lock files. A lock file is created complete: its owner record is written
 * to a temp file that is then hard-linked to the lock name (`link` fails if the name exists), so
 * a crash can never leave an ownerless lock file that nobody could judge until it ages out.
 */
import { randomBytes } from 'node:crypto';
import { link, open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { discardTemp, writeAll, writeTemp } from '../atomic-write';
import type { FileContext } from './context';
import { errnoOf, removeQuietly } from './fs-util';

/** Who holds a lock file: the process, its host, and a token unique to this creation. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** Error codes of file systems without hard links (then the lock file is created directly). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Creates the lock file at `path` owned by a fresh token, unless it exists.
 * @param onToken - called with the token before the file can appear, so the caller can count it as held
 * @returns the new file's inode, or `undefined` when `path` already exists
 */
export async function createLockFile(ctx: FileContext, path: string, onToken: (token: string) => void): Promise<number | undefined> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const record = Buffer.from(JSON.stringify({ ...owner, time: new Date().toISOString() }));
  let ino = 0;
  // a lock needs no fsync: after a machine crash every lock is stale anyway
  const tmp = await writeTemp({ ...ctx, fsync: false }, dirname(path), basename(path), async (fh) => {
    await writeAll(fh, record, 0);
    ino = (await fh.stat()).ino;
  });
  onToken(owner.token);
  try {
    await link(tmp, path);
    return ino;
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') return undefined;
    if (!NO_LINKS.has(errnoOf(e) ?? '')) throw e;
    return await createDirect(path, record);
  } finally {
    await discardTemp(tmp);
  }
}

/** The owner recorded in a lock file's text, or `undefined` when it has none. */
export function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Record<keyof LockOwner, unknown>>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return undefined;
    return { pid: o.pid, host: o.host, token: typeof o.token === 'string' ? o.token : '' };
  } catch {
    return undefined;
  }
}

/** Fallback without hard links: exclusive create, then write (an empty file exists briefly). */
async function createDirect(path: string, record: Uint8Array): Promise<number | undefined> {
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') return undefined;
    throw e;
  }
  try {
    await writeAll(fh, record, 0);
    return (await fh.stat()).ino;
  } catch (e) {
    await removeQuietly(path);
    throw e;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
