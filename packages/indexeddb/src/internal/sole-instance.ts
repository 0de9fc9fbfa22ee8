/// <reference lib="dom" />
/**
 * The sole-instance mode of an IndexedDB backing. Per-key Web Locks and change notices exist for
 * other instances over the same database (other tabs, other stores in this tab); while there are
 * none, each costs a write a round trip to the browser process for nothing. So an instance first
 * tries to take the database's mode lock exclusively: holding it, it is the only instance, and its
 * writes take no Web Lock and send no notice. Every other instance holds the mode lock shared, so
 * the two modes exclude each other. A newcomer that finds the lock taken says so on the change
 * channel ("join") and waits for it shared; the sole instance, hearing that, lets the sections it
 * started finish (writes, and updates between their read and write), then releases the lock and
 * joins the others: from then on it locks per key and announces, as they do. Web Locks cannot be
 * lost while their tab lives, so no write of the sole instance can overlap another instance's.
 */
import { locked } from '@konserve-rx/core';

/** What the backing asks of the mode. */
export interface SoleInstance {
  /** Resolves once this instance knows its mode (sole, or shared with others); rejects with `ERR_LOCKED` after the timeout. */
  readonly settled: Promise<void>;
  /** Whether this instance is alone now: a section may start without a Web Lock. */
  alone(): boolean;
  /** Counts a section started while alone; call the returned function when it is over. */
  enter(): () => void;
  /** Resolves once this instance shares the database with others (after leaving the sole mode). */
  readonly shared: () => Promise<void>;
  /** Another instance asked to join: leave the sole mode. */
  joined(): void;
  /** Releases the mode lock. */
  close(): void;
}

/**
 * Settles the mode of one instance over the database whose mode lock is `name`.
 * @param locks - the lock manager
 * @param name - the mode lock's name
 * @param join - tells the other instances that this one waits to share
 * @param timeout - how long to wait for the shared mode, in ms
 * @returns the mode
 */
export function soleInstance(locks: LockManager, name: string, join: () => void, timeout: number): SoleInstance {
  let mode: 'pending' | 'alone' | 'leaving' | 'shared' = 'pending';
  let joinSeen = false;
  let sections = 0;
  let releaseSole: (() => void) | undefined;
  let releaseShared: (() => void) | undefined;
  let sharing: Promise<void> | undefined;
  let closed = false;

  const goShared = (): Promise<void> => {
    mode = mode === 'shared' ? mode : 'leaving';
    sharing ??= new Promise<void>((resolve, reject) => {
      join();
      const signal = AbortSignal.timeout(timeout);
      locks
        .request(name, { mode: 'shared', signal }, () => {
          mode = 'shared';
          resolve();
          // granted after close: released at once, never held by a closed instance
          return closed ? undefined : new Promise<void>((release) => (releaseShared = release));
        })
        .catch((e: unknown) => reject(signal.aborted ? locked(name, timeout) : e));
    });
    return sharing;
  };
  const leave = (): void => {
    if (mode !== 'alone') return;
    mode = 'leaving';
    if (sections === 0) handOver();
  };
  // the last section of the sole mode is over: release the lock, then wait for it shared
  const handOver = (): void => {
    releaseSole?.();
    releaseSole = undefined;
    void goShared().catch(() => undefined);
  };
  const settled = new Promise<void>((resolve, reject) => {
    locks
      .request(name, { mode: 'exclusive', ifAvailable: true }, (lock) => {
        if (lock === null || joinSeen || closed) return void goShared().then(resolve, reject);
        mode = 'alone';
        resolve();
        return new Promise<void>((release) => (releaseSole = release));
      })
      .catch(reject);
  });
  settled.catch(() => undefined);
  return {
    settled,
    alone: () => mode === 'alone',
    enter: () => {
      sections++;
      return () => {
        if (--sections === 0 && mode === 'leaving' && releaseSole !== undefined) handOver();
      };
    },
    shared: () => goShared(),
    joined: () => {
      if (mode === 'pending') joinSeen = true;
      else leave();
    },
    close: () => {
      closed = true;
      releaseSole?.();
      releaseShared?.();
    },
  };
}
