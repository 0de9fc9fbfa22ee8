/**
 * The durable contenders, each over its own folder: konserve-rx's file store, "the raw limit"
 * (what one file per key costs with Node's own fs/promises: temp file, fdatasync, rename, folder
 * fsync; readFile + cbor decode), unstorage's fs driver, classic-level (LevelDB) and lmdb. Stores
 * that keep bytes get the document encoded with the same cbor-x settings, once per write, and
 * decode it once per read.
 */
import { mkdirSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { ClassicLevel } from 'classic-level';
import { open as openLmdb } from 'lmdb';
import { createStorage } from 'unstorage';
import fsDriver from 'unstorage/drivers/fs';
import type { Store } from '@konserve-rx/core';
import { connectFileStore } from '@konserve-rx/fs';
import { cbor, keyOf, slot } from '../fixture';
import { observed, promised, runPool } from '../harness';
import type { Contender } from './contender';

/** A durable contender opened with fsync on or off; `undefined` fsync means it has no such setting. */
export interface DurableContender extends Contender {
  readonly fsync: boolean | undefined;
}

/** How to open one durable store kind. */
export interface DurableKind {
  readonly name: string;
  /** False when the store cannot flush to disk before acknowledging (it then runs only with fsync off). */
  readonly canFsync: boolean;
  /** Opens the store in `dir` with `keys` copies of `doc` already in it; `get`/`put` read and write `doc`. */
  open(dir: string, keys: number, fsync: boolean, doc: object): Promise<DurableContender>;
}

/** Preloads in batches of 64 in flight through the contender's own write. */
async function preload(c: Contender, keys: number): Promise<void> {
  await runPool(keys, 64, c.put);
}

/** konserve-rx's file store; preloaded through a store without fsync, then reopened as asked. */
export const konserveFs: DurableKind = {
  name: 'konserve-rx fs',
  canFsync: true,
  async open(dir, keys, fsync, doc) {
    await preloadFileStore(dir, keys, doc);
    return fileStoreContender(this.name, await firstValueFrom(connectFileStore({ path: dir, fsync })), keys, fsync, doc);
  },
};

/**
 * The file store as it runs while another backing shares its folder: `lockFiles: 'always'` takes
 * a lock file per write, as every backing does while the folder's exclusive lease is not held.
 * It shows what sharing a folder costs; excluded from the targets.
 */
export const konserveFsShared: DurableKind = {
  name: "konserve-rx fs, shared folder (lockFiles: 'always')",
  canFsync: true,
  async open(dir, keys, fsync, doc) {
    await preloadFileStore(dir, keys, doc);
    return fileStoreContender(this.name, await firstValueFrom(connectFileStore({ path: dir, fsync, lockFiles: 'always' })), keys, fsync, doc);
  },
};

async function preloadFileStore(dir: string, keys: number, doc: object): Promise<void> {
  const loader = await firstValueFrom(connectFileStore({ path: dir, fsync: false }));
  for (let k = 0; k < keys; k += 500) {
    await firstValueFrom(loader.multiAssoc(Array.from({ length: Math.min(500, keys - k) }, (_, j) => [keyOf(k + j), doc] as const)));
  }
  await firstValueFrom(loader.close());
}

function fileStoreContender(name: string, store: Store, keys: number, fsync: boolean, doc: object): DurableContender {
  return {
    name,
    fsync,
    get: observed((i) => store.get(keyOf(slot(i, keys)))),
    put: observed((i) => store.assoc(keyOf(slot(i, keys)), doc)),
    close: () => firstValueFrom(store.close()),
  };
}

let tempCounter = 0;

/** The raw limit's write: encode, temp file, (fdatasync), close, rename over the target, (fsync the folder). */
export async function rawWrite(dir: string, name: string, value: unknown, fsync: boolean): Promise<void> {
  const bytes = cbor.encode(value);
  const target = join(dir, name);
  const tmp = `${target}~${process.pid}-${tempCounter++}.tmp`;
  const fh = await open(tmp, 'wx');
  try {
    await fh.write(bytes, 0, bytes.length, 0);
    if (fsync) await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, target);
  if (fsync) {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
}

/**
 * The raw limit: one file per key, nothing else (no header, checksum, lock file or key hashing),
 * spread over 256 sub-folders like the file store's shards, so that many writes in flight do not
 * all queue on one folder's lock and the comparison is about the protocol, not the layout.
 */
export const rawLimit: DurableKind = {
  name: 'raw limit (fs/promises + cbor)',
  canFsync: true,
  async open(dir, keys, fsync, doc) {
    for (let s = 0; s < 256; s++) mkdirSync(join(dir, shardOf(s)), { recursive: true });
    const folder = (k: number): string => join(dir, shardOf(k));
    await runPool(
      keys,
      64,
      promised((k) => rawWrite(folder(k), keyOf(k), doc, false)),
    );
    return {
      name: this.name,
      fsync,
      get: promised(async (i) => {
        const k = slot(i, keys);
        return cbor.decode(await readFile(join(folder(k), keyOf(k))));
      }),
      put: promised((i) => {
        const k = slot(i, keys);
        return rawWrite(folder(k), keyOf(k), doc, fsync);
      }),
      close: async () => undefined,
    };
  },
};

/** The raw limit's shard folder of document `k`: two hex digits. */
function shardOf(k: number): string {
  return (k % 256).toString(16).padStart(2, '0');
}

/** unstorage's fs driver: JSON text written with writeFile (no temp file, no fsync setting). */
export const unstorageFs: DurableKind = {
  name: 'unstorage fs',
  canFsync: false,
  async open(dir, keys, _fsync, doc) {
    const storage = createStorage({ driver: fsDriver({ base: dir }) });
    const c: DurableContender = {
      name: this.name,
      fsync: undefined,
      get: promised((i) => storage.getItem(keyOf(slot(i, keys)))),
      put: promised((i) => storage.setItem(keyOf(slot(i, keys)), doc)),
      close: () => storage.dispose(),
    };
    await preload(c, keys);
    return c;
  },
};

/** classic-level (LevelDB): `put` with `{ sync }`, values as cbor bytes. */
export const classicLevel: DurableKind = {
  name: 'classic-level',
  canFsync: true,
  async open(dir, keys, fsync, doc) {
    const db = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    const options = { sync: fsync };
    const c: DurableContender = {
      name: this.name,
      fsync,
      get: promised(async (i) => cbor.decode((await db.get(keyOf(slot(i, keys))))!)),
      put: promised((i) => db.put(keyOf(slot(i, keys)), cbor.encode(doc), options)),
      close: () => db.close(),
    };
    await db.batch(Array.from({ length: keys }, (_, k) => ({ type: 'put' as const, key: keyOf(k), value: cbor.encode(doc) as Uint8Array })));
    return c;
  },
};

/** lmdb: `put` resolves when its (batched) transaction commits; `noSync` when fsync is off. */
export const lmdbStore: DurableKind = {
  name: 'lmdb',
  canFsync: true,
  async open(dir, keys, fsync, doc) {
    const db = openLmdb<Buffer, string>({ path: dir, encoding: 'binary', noSync: !fsync });
    await db.transaction(() => {
      for (let k = 0; k < keys; k++) void db.put(keyOf(k), cbor.encode(doc));
    });
    return {
      name: this.name,
      fsync,
      get: (i, done) => {
        try {
          cbor.decode(db.get(keyOf(slot(i, keys)))!);
          done();
        } catch (e) {
          done(e);
        }
      },
      put: promised((i) => db.put(keyOf(slot(i, keys)), cbor.encode(doc))),
      close: () => db.close(),
    };
  },
};

/** Every durable kind, in report order. */
export const DURABLE_KINDS: readonly DurableKind[] = [konserveFs, rawLimit, unstorageFs, classicLevel, lmdbStore, konserveFsShared];
