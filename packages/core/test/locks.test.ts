/** KeyLocks: the waiter-object form (`request`/`release`) keeps the order and sharing rules of `acquire`. */
import { describe, expect, it } from '@jest/globals';
import { KeyLocks, type LockMode, type LockWaiter } from '../src/store/engine/locks';

function waiter(name: string, mode: LockMode, log: string[]): LockWaiter {
  return { mode, lockState: 0, granted: () => void log.push(name) };
}

describe('KeyLocks with waiter objects', () => {
  it('grants a free id at once, queues writers in request order, and forgets an id once free', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const [a, b, c] = [waiter('a', 'write', log), waiter('b', 'write', log), waiter('c', 'read', log)];
    locks.request('k', a);
    locks.request('k', b);
    locks.request('k', c);
    expect(log).toEqual(['a']);
    locks.release('k', a);
    expect(log).toEqual(['a', 'b']);
    locks.release('k', b);
    expect(log).toEqual(['a', 'b', 'c']);
    locks.release('k', c);
    expect(locks.isFree('k')).toBe(true);
    expect(locks.size).toBe(0);
  });

  it('lets readers share until a writer waits, and a withdrawn request is skipped', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const [r1, r2, w, r3, w2] = [
      waiter('r1', 'read', log),
      waiter('r2', 'read', log),
      waiter('w', 'write', log),
      waiter('r3', 'read', log),
      waiter('w2', 'write', log),
    ];
    for (const x of [r1, r2, w, r3, w2]) locks.request('k', x);
    expect(log).toEqual(['r1', 'r2']);
    locks.release('k', w); // withdrawn while waiting
    locks.release('k', r1);
    locks.release('k', r2);
    expect(log).toEqual(['r1', 'r2', 'r3']);
    locks.release('k', r3);
    expect(log).toEqual(['r1', 'r2', 'r3', 'w2']);
  });

  it('ignores a second release of the same waiter', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const [r1, r2, w] = [waiter('r1', 'read', log), waiter('r2', 'read', log), waiter('w', 'write', log)];
    for (const x of [r1, r2, w]) locks.request('k', x);
    locks.release('k', r1);
    locks.release('k', r1);
    expect(log).toEqual(['r1', 'r2']);
    locks.release('k', r2);
    expect(log).toEqual(['r1', 'r2', 'w']);
  });

  it('runs grants queued during a grant after it, not nested, and counts them as held at once', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const inner = waiter('inner', 'write', log);
    const outer: LockWaiter = {
      mode: 'write',
      lockState: 0,
      granted: () => {
        locks.request('other', inner);
        log.push(`outer sees inner ${inner.lockState === 1 ? 'held' : 'not held'}`);
      },
    };
    locks.request('k', outer);
    expect(log).toEqual(['outer sees inner held', 'inner']);
  });

  it('keeps the callback form working beside it', () => {
    const locks = new KeyLocks();
    const log: string[] = [];
    const unlock = locks.acquire('k', 'write', () => log.push('cb'));
    const w = waiter('w', 'write', log);
    locks.request('k', w);
    unlock();
    unlock();
    expect(log).toEqual(['cb', 'w']);
    locks.release('k', w);
    expect(locks.size).toBe(0);
  });
});
