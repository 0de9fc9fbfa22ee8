/// <reference lib="dom" />
/**
 * The IndexedDB backing: one database per store, one object store of blobs, every write one
 * transaction (a batch too, so it is atomic), writes shared with other tabs over a
 * BroadcastChannel and serialized across tabs with Web Locks.
 */
import {
  checkOptions,
  invalidArgument,
  lockIdOf,
  ownedBytes,
  type BackingStore,
  type BatchEntry,
  type ChangeNotice,
  type ReleaseLock,
} from '@konserve-rx/core';
import { noticeChannel, type NoticeChannel } from './internal/channel';
import { openDatabase } from './internal/connection';
import { BLOBS, committed, idbError, result } from './internal/idb';
import { takeLock, writeIfFree } from './internal/locks';
import { soleInstance } from './internal/sole-instance';
import { INDEXEDDB_BACKING_OPTIONS, type IndexedDbBackingOptions } from './options';

/** An IndexedDB BackingStore, with its database name and a promise of its connection. */
export interface IndexedDbBacking extends BackingStore {
  /** The database name. */
  readonly name: string;
  /** Resolves once the database is open (created when missing); rejects with `ERR_IO`. */
  ready(): Promise<void>;
}

/**
 * Creates an IndexedDB backing over database `options.name` (opened at once, in the background).
 * An unknown option, or a runtime without IndexedDB, fails with `ERR_INVALID_ARGUMENT` (thrown).
 * @param options - the database name, and optionally the IndexedDB implementation, sharing and locking
 * @returns a BackingStore with atomic batches; await `ready()` before the first operation to see
 *   open errors early (operations wait for it anyway)
 * @example
 * ```ts
 * const backing = indexedDbBacking({ name: 'notes' });
 * await backing.ready();
 * const store = createStore(backing);
 * ```
 */
export function indexedDbBacking(options: IndexedDbBackingOptions): IndexedDbBacking {
  checkOptions('indexedDbBacking', options, INDEXEDDB_BACKING_OPTIONS);
  const { name, lockTimeout = 30_000, listPageSize = 1000 } = options;
  if (typeof name !== 'string' || name === '') throw invalidArgument('indexedDbBacking needs a database name: { name: string }');
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (factory === undefined) throw invalidArgument('indexedDbBacking: this runtime has no IndexedDB; pass { indexedDB } (fake-indexeddb in Node)');
  const locks = options.locks === undefined ? (globalThis.navigator?.locks ?? null) : options.locks;
  const channel: NoticeChannel | undefined = (options.shareChanges ?? typeof BroadcastChannel === 'function') ? noticeChannel(name) : undefined;

  // alone over the database (no other tab or store), it needs no Web Lock and no notice per write
  const sole = locks === null || channel === undefined ? undefined : soleInstance(locks, `konserve-rx:indexeddb:${name}`, channel.join, lockTimeout);
  if (sole !== undefined) channel!.onJoin = sole.joined;

  let db: IDBDatabase | undefined;
  const opening = Promise.all([openDatabase(factory, name), sole?.settled]).then(([open]) => (db = open));
  opening.catch(() => undefined);
  const connection = (): IDBDatabase | Promise<IDBDatabase> => db ?? opening;

  /** Runs one transaction over the blob store; resolves with `pick()` once it has committed. */
  const transact = async <T>(mode: IDBTransactionMode, work: (blobs: IDBObjectStore) => () => T): Promise<T> => {
    try {
      const tx = (await connection()).transaction(BLOBS, mode);
      const done = committed(tx);
      let pick: () => T;
      try {
        pick = work(tx.objectStore(BLOBS));
      } catch (e) {
        // a request refused synchronously (DataCloneError, ...) must not let the others commit
        done.catch(() => undefined);
        tx.abort();
        throw e;
      }
      await done;
      return pick();
    } catch (e) {
      throw idbError(e, name);
    }
  };
  const lockName = (id: string) => `konserve-rx:indexeddb:${name}:${id}`;
  // structured clone stores a view's whole underlying buffer: a view is copied to its own first
  const write = (id: string, data: Uint8Array) => transact('readwrite', (blobs) => (blobs.put(ownedBytes(data), id), () => undefined));
  const read = async (id: string): Promise<Uint8Array | undefined> => {
    try {
      return (await result((await connection()).transaction(BLOBS, 'readonly').objectStore(BLOBS).get(id))) as Uint8Array | undefined;
    } catch (e) {
      throw idbError(e, name);
    }
  };

  return {
    name,
    ready: () => opening.then(() => undefined),
    capabilities: { syncResults: false, atomicMulti: true, durable: true, multiProcess: locks !== null },
    read,
    readHead: async (id, length) => (await read(id))?.subarray(0, length),
    write,
    writeBatch: (entries: readonly BatchEntry[]) =>
      transact('readwrite', (blobs) => {
        for (const [id, data] of entries) {
          if (data === null) blobs.delete(id);
          else blobs.put(ownedBytes(data), id);
        }
        return () => undefined;
      }),
    delete: (id) =>
      transact('readwrite', (blobs) => {
        let existed = false;
        // count and delete in one transaction: no other write can come between them
        blobs.count(id).onsuccess = (e) => void (existed = (e.target as IDBRequest<number>).result > 0);
        blobs.delete(id);
        return () => existed;
      }),
    has: (id) =>
      transact('readonly', (blobs) => {
        const req = blobs.count(id);
        return () => req.result > 0;
      }),
    list: () => listIds(connection, name, listPageSize),
    listPrefix: (prefix) => listIds(connection, name, listPageSize, prefix),
    ...(locks === null
      ? {}
      : {
          lock: async (id: string): Promise<ReleaseLock> => {
            await sole?.settled;
            if (sole?.alone()) return sole.enter();
            await sole?.shared();
            return takeLock(locks, lockName(id), lockTimeout);
          },
          // a blind write (assoc) holds the key's lock only for its own transaction, and only when free
          writeIfUnlocked: async (id: string, data: Uint8Array, notice?: ChangeNotice): Promise<boolean> => {
            await sole?.settled;
            if (sole?.alone()) {
              const exit = sole.enter();
              try {
                await write(id, data);
              } finally {
                exit();
              }
              return true;
            }
            await sole?.shared();
            return writeIfFree(locks, lockName(lockIdOf(id)), async () => {
              await write(id, data);
              if (notice) channel?.announce(notice);
            });
          },
        }),
    // alone, nobody listens: an instance that joins reads only after this one's writes are committed
    ...(channel === undefined ? {} : { announce: (notice: ChangeNotice) => void (sole?.alone() || channel.announce(notice)), remoteChanges: channel.notices }),
    close: async () => {
      sole?.close();
      channel?.close();
      (await opening.catch(() => undefined))?.close();
    },
  };
}

/**
 * Every blob id (those starting with `prefix`, when given: a key range, since keys sort by code
 * unit), in pages of `pageSize` keys after the last one seen (each page one request).
 */
async function* listIds(connection: () => IDBDatabase | Promise<IDBDatabase>, name: string, pageSize: number, prefix?: string): AsyncGenerator<string> {
  // every string that starts with `prefix` lies in [prefix, prefix + U+FFFF)
  const end = prefix === undefined ? undefined : `${prefix}\uffff`;
  let after: string | undefined;
  for (;;) {
    let page: IDBValidKey[];
    try {
      const blobs = (await connection()).transaction(BLOBS, 'readonly').objectStore(BLOBS);
      page = await result(blobs.getAllKeys(rangeOf(after, prefix, end), pageSize));
    } catch (e) {
      throw idbError(e, name);
    }
    for (const id of page) yield id as string;
    if (page.length < pageSize) return;
    after = page[page.length - 1] as string;
  }
}

/** The keys after `after` (or from `prefix`), up to `end` when given; `null` for all. */
function rangeOf(after: string | undefined, prefix: string | undefined, end: string | undefined): IDBKeyRange | null {
  if (end === undefined) return after === undefined ? null : IDBKeyRange.lowerBound(after, true);
  return after === undefined ? IDBKeyRange.bound(prefix, end, false, true) : IDBKeyRange.bound(after, end, true, true);
}
