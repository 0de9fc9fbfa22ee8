/// <reference lib="dom" />
/**
 * Cross-tab locks over the Web Locks API. A Web Lock is held until its holder releases it or its
 * tab goes away, so it cannot be lost while the holder lives: the fencing rule holds without a
 * conditional write.
 */
import { locked, type ReleaseLock } from '@konserve-rx/core';

/**
 * Takes the exclusive lock `name`, waiting at most `timeout` ms for another tab to release it.
 * @param locks - the lock manager (`navigator.locks`)
 * @param name - the lock's name, unique per database and blob
 * @param timeout - how long to wait, in ms
 * @returns a promise of the release function; rejects with `ERR_LOCKED` after `timeout`
 */
export function takeLock(locks: LockManager, name: string, timeout: number): Promise<ReleaseLock> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(timeout);
    // the callback's promise is what holds the lock: it settles when core calls release
    locks
      .request(name, { mode: 'exclusive', signal }, () => new Promise<void>((release) => resolve(() => release())))
      .catch((e: unknown) => reject(signal.aborted ? locked(name, timeout) : e));
  });
}

/**
 * Runs `work` holding the exclusive lock `name` if nobody holds it (or waits for it) now.
 * @param locks - the lock manager
 * @param name - the lock's name
 * @param work - what to do under the lock (a write, then its change notice)
 * @returns `true` once `work` is done, `false` at once (nothing done) when the lock is taken;
 *   rejects with what `work` rejected with
 */
export async function writeIfFree(locks: LockManager, name: string, work: () => Promise<void>): Promise<boolean> {
  // the request settles with the callback's result once the callback's promise has (lock released)
  const done: unknown = await locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
    if (lock === null) return false;
    await work();
    return true;
  });
  return done === true;
}
