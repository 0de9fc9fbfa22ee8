/** KeyLocks: per-id readers-writer locks granted in request order, released by ticket. */
import { describe, expect, it } from '@jest/globals';
import { KeyLocks, type Grantee, type LockMode, type LockTicket } from '../src/store/engine/locks';

function logger(name: string, log: string[]): Grantee {
  return { granted: () => void log.push(name) };
}

describe('KeyLocks', () => {
  it('grants a free id at once, queues writers in request order, and forgets an id once free', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const take = (name: string, mode: LockMode): LockTicket => locks.request('k', mode, logger(name, log));
    const [a, b, c] = [take('a', 'write'), take('b', 'write'), take('c', 'read')];
    expect(log).toEqual(['a']);
    locks.release(a);
    expect(log).toEqual(['a', 'b']);
    locks.release(b);
    expect(log).toEqual(['a', 'b', 'c']);
    locks.release(c);
    expect(locks.isFree('k')).toBe(true);
    expect(locks.size).toBe(0);
  });

  it('lets readers share until a writer waits, and a withdrawn request is skipped', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const take = (name: string, mode: LockMode): LockTicket => locks.request('k', mode, logger(name, log));
    const [r1, r2, w, r3] = [take('r1', 'read'), take('r2', 'read'), take('w', 'write'), take('r3', 'read')];
    take('w2', 'write');
    expect(log).toEqual(['r1', 'r2']);
    locks.release(w); // withdrawn while waiting
    locks.release(r1);
    locks.release(r2);
    expect(log).toEqual(['r1', 'r2', 'r3']);
    locks.release(r3);
    expect(log).toEqual(['r1', 'r2', 'r3', 'w2']);
  });

  it('a reader that finishes inside its grant hands the key to the writer queued next, not to the reader after it', () => {
    // dissoc (w1), then get (r1, answered at once from a cache), bassoc (w2), getMeta (r2): r2
    // must wait for w2, or it reads the key before the bassoc's write lands
    const locks = new KeyLocks();
    const log: string[] = [];
    const w1 = locks.request('k', 'write', logger('w1', log));
    const r1: LockTicket = locks.request('k', 'read', { granted: () => (log.push('r1'), locks.release(r1)) });
    const w2 = locks.request('k', 'write', logger('w2', log));
    const r2 = locks.request('k', 'read', logger('r2', log));
    locks.release(w1);
    expect(log).toEqual(['w1', 'r1', 'w2']);
    locks.release(w2);
    expect(log).toEqual(['w1', 'r1', 'w2', 'r2']);
    locks.release(r2);
    expect(locks.isFree('k')).toBe(true);
  });

  it('ignores a second release of the same ticket', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const take = (name: string, mode: LockMode): LockTicket => locks.request('k', mode, logger(name, log));
    const [r1, r2] = [take('r1', 'read'), take('r2', 'read')];
    take('w', 'write');
    locks.release(r1);
    locks.release(r1);
    expect(log).toEqual(['r1', 'r2']);
    locks.release(r2);
    expect(log).toEqual(['r1', 'r2', 'w']);
  });

  it('runs grants queued during a grant after it, not nested, and counts them as held at once', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    let inner: LockTicket | undefined;
    locks.request('k', 'write', {
      granted: () => {
        inner = locks.request('other', 'write', logger('inner', log));
        log.push(`outer sees inner ${inner.state === 1 ? 'held' : 'not held'}`);
      },
    });
    expect(log).toEqual(['outer sees inner held', 'inner']);
  });

  it('acquireAll grants once every id is held and releases them all', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const first = locks.request('b', 'write', logger('b', log));
    const unlock = locks.acquireAll(['a', 'b', 'a'], 'write', logger('all', log));
    expect(log).toEqual(['b']);
    locks.release(first);
    expect(log).toEqual(['b', 'all']);
    unlock();
    unlock();
    expect(locks.size).toBe(0);
  });
});
