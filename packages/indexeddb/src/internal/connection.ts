/// <reference lib="dom" />
/**
 * Opening a konserve-rx database and keeping its connection. A connection closes itself when
 * another connection deletes or upgrades the database (`versionchange`), so `deleteStore` in one
 * tab is never blocked by stores open in others; their later operations fail with `ERR_IO`.
 */
import { ioError } from '@konserve-rx/core';
import { BLOBS, result } from './idb';

/** The schema version of a konserve-rx database: one object store, blob id -> bytes. */
const VERSION = 1;

/**
 * Opens (creating when missing) the database `name` with its blob store.
 * @param factory - the IndexedDB implementation
 * @param name - the database name
 * @returns a promise of the open connection; rejects with `ERR_IO` when it cannot be opened or the
 *   database exists but is not a konserve-rx store
 */
export async function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  let db: IDBDatabase;
  try {
    const req = factory.open(name, VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(BLOBS)) req.result.createObjectStore(BLOBS);
    };
    db = await result(req);
  } catch (e) {
    throw ioError(new Error(`could not open IndexedDB database "${name}": ${(e as Error | null)?.message ?? String(e)}`, { cause: e }));
  }
  if (!db.objectStoreNames.contains(BLOBS)) {
    db.close();
    throw ioError(new Error(`IndexedDB database "${name}" exists but is not a konserve-rx store (it has no "${BLOBS}" object store)`));
  }
  // another tab deletes or upgrades the database: let it, instead of blocking it
  db.onversionchange = () => db.close();
  return db;
}
