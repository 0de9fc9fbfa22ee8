/** operation(): a plan's flow delivers, fails, queues and takes backing locks, over synchronous and asynchronous answers. */
import { describe, expect, it } from '@jest/globals';
import { asyncScheduler, firstValueFrom, Subject } from 'rxjs';
import type { BackingStore, ReleaseLock } from '../src/backing';
import { monotoneClock } from '../src/internal/clock';
import { KeyLocks } from '../src/store/engine/locks';
import { valueCodec } from '../src/format/value-codec';
import type { ChangeRecord, StoreContext } from '../src/store/engine/context';
import { io } from '../src/store/engine/context';
import { wait } from '../src/store/engine/flow';
import { operation } from '../src/store/engine/operation';
import { ROOT_SCOPE } from '../src/store/scope';
import { referenceBacking } from '../src/testing/reference-backing';

function context(backing: BackingStore): StoreContext {
  return {
    backing,
    scope: ROOT_SCOPE,
    codec: valueCodec({}),
    locks: new KeyLocks(),
    clock: monotoneClock(),
    now: Date.now,
    scheduler: asyncScheduler,
    changes: new Subject<ChangeRecord>(),
    life: { closed: false, inflight: 0 },
  };
}

/** An asynchronous backing whose writes fail: with a rejected promise, or by throwing synchronously. */
function failing(how: 'reject' | 'throw'): BackingStore {
  return {
    ...referenceBacking({ async: true }),
    write: () => {
      if (how === 'throw') throw new Error('sync disk');
      return Promise.reject(new Error('disk'));
    },
  };
}

function record<T>(ctx: StoreContext, run: () => T | Promise<T>, ids = ['a']): { log: string[] } {
  const log: string[] = [];
  operation<T>(ctx, 'test', () => ({
    ids,
    *run(out) {
      out.emit(yield* wait(run()));
    },
  })).subscribe({
    next: (v) => log.push(`next ${String(v)}`),
    error: (e: { code?: string }) => log.push(`error ${e.code ?? String(e)}`),
    complete: () => log.push('complete'),
  });
  return { log };
}

describe('operation', () => {
  it('emits a plain value and completes inside subscribe, releasing its lock', () => {
    const ctx = context(referenceBacking());
    expect(record(ctx, () => 7).log).toEqual(['next 7', 'complete']);
    expect(ctx.locks.size).toBe(0);
    expect(ctx.life.inflight).toBe(0);
  });

  it('emits a promised value once it settles, and runs queued operations on the id in order', async () => {
    const ctx = context(referenceBacking({ async: true }));
    const order: string[] = [];
    const first = record(ctx, () => Promise.resolve().then(() => (order.push('first ran'), 1)));
    const second = record(ctx, () => (order.push('second ran'), 2));
    expect(second.log).toEqual([]);
    await new Promise(setImmediate);
    expect(first.log).toEqual(['next 1', 'complete']);
    expect(second.log).toEqual(['next 2', 'complete']);
    expect(order).toEqual(['first ran', 'second ran']);
    expect(ctx.locks.size).toBe(0);
  });

  it('errors with what the result throws or rejects with, and still releases', async () => {
    const ctx = context(referenceBacking({ async: true }));
    const thrown = record(ctx, () => {
      throw Object.assign(new Error('x'), { code: 'ERR_CORRUPT' });
    });
    const rejected = record(ctx, () => Promise.reject(Object.assign(new Error('y'), { code: 'ERR_IO' })));
    await new Promise(setImmediate);
    expect(thrown.log).toEqual(['error ERR_CORRUPT']);
    expect(rejected.log).toEqual(['error ERR_IO']);
    expect(ctx.locks.size).toBe(0);
    expect(ctx.life.inflight).toBe(0);
  });

  it('runs inside the backing lock of a write when the backing has one', async () => {
    const calls: string[] = [];
    const lock = (id: string): Promise<ReleaseLock> => {
      calls.push(`lock ${id}`);
      return Promise.resolve(() => void calls.push(`unlock ${id}`));
    };
    const ctx = context({ ...referenceBacking({ async: true }), lock });
    const value = await firstValueFrom(
      operation<number>(ctx, 'test', () => ({
        ids: ['a'],
        *run(out) {
          calls.push('run');
          out.emit(yield* wait(5));
        },
      })),
    );
    expect(value).toBe(5);
    expect(calls).toEqual(['lock a', 'run', 'unlock a']);
  });
});

describe('operation calling the backing through io', () => {
  const write = (ctx: StoreContext, done: () => string): Promise<string> =>
    firstValueFrom(
      operation<string>(ctx, 'test', () => ({
        ids: ['a'],
        key: 'k',
        *run(out) {
          yield* io('k', () => ctx.backing.write('a', new Uint8Array([1])));
          out.emit(done());
        },
      })),
    );

  it('delivers what follows the backing call', async () => {
    const ctx = context(referenceBacking({ async: true }));
    expect(await write(ctx, () => 'written')).toBe('written');
    expect(ctx.locks.size).toBe(0);
  });

  it('maps a rejected or thrown backing failure to ERR_IO naming the key, but not a failure after it', async () => {
    for (const how of ['reject', 'throw'] as const) {
      await expect(write(context(failing(how)), () => 'never')).rejects.toMatchObject({ code: 'ERR_IO', key: 'k' });
    }
    const corrupt = Object.assign(new Error('bad'), { code: 'ERR_CORRUPT' });
    await expect(
      write(context(referenceBacking({ async: true })), () => {
        throw corrupt;
      }),
    ).rejects.toBe(corrupt);
  });

  it('maps failures the same way under a backing lock', async () => {
    const lock = (): Promise<ReleaseLock> => Promise.resolve(() => undefined);
    await expect(write(context({ ...failing('reject'), lock }), () => 'never')).rejects.toMatchObject({ code: 'ERR_IO', key: 'k' });
    expect(await write(context({ ...referenceBacking({ async: true }), lock }), () => 'locked')).toBe('locked');
  });
});

describe('operation with a call plan (one backing call and what follows it)', () => {
  /** A write as a call plan: `call` writes, `answered` emits what `done` returns. */
  const callWrite = (ctx: StoreContext, done: () => string, calls: string[] = []): Promise<string> =>
    firstValueFrom(
      operation<string>(ctx, 'test', () => ({
        ids: ['a'],
        key: 'k',
        call: () => {
          calls.push('call');
          return ctx.backing.write('a', new Uint8Array([1]));
        },
        answered(_: void, out: { emit(v: string): void }) {
          calls.push('answered');
          out.emit(done());
        },
      })),
    );

  it('hands the answer on and delivers, inside subscribe over a synchronous backing, after it over an asynchronous one', async () => {
    const sync = context(referenceBacking());
    const log: string[] = [];
    operation<string>(sync, 'test', () => ({
      ids: ['a'],
      key: 'k',
      call: () => sync.backing.read('a'),
      answered: (bytes: unknown, out) => out.emit(String(bytes)),
    })).subscribe({
      next: (v) => log.push(v),
      complete: () => log.push('complete'),
    });
    expect(log).toEqual(['undefined', 'complete']);
    expect(sync.locks.size).toBe(0);
    const calls: string[] = [];
    const async = context(referenceBacking({ async: true }));
    expect(await callWrite(async, () => 'written', calls)).toBe('written');
    expect(calls).toEqual(['call', 'answered']);
    expect(async.locks.size).toBe(0);
    expect(async.life.inflight).toBe(0);
  });

  it('maps a rejected or thrown call to ERR_IO naming the key, but not a failure of what follows it', async () => {
    for (const how of ['reject', 'throw'] as const) {
      const calls: string[] = [];
      await expect(callWrite(context(failing(how)), () => 'never', calls)).rejects.toMatchObject({ code: 'ERR_IO', key: 'k' });
      expect(calls).toEqual(['call']);
    }
    const corrupt = Object.assign(new Error('bad'), { code: 'ERR_CORRUPT' });
    await expect(
      callWrite(context(referenceBacking({ async: true })), () => {
        throw corrupt;
      }),
    ).rejects.toBe(corrupt);
  });

  it('runs under a backing lock as a flow, with the same mapping', async () => {
    const taken: string[] = [];
    const lock = (id: string): Promise<ReleaseLock> => {
      taken.push(id);
      return Promise.resolve(() => undefined);
    };
    await expect(callWrite(context({ ...failing('throw'), lock }), () => 'never')).rejects.toMatchObject({ code: 'ERR_IO', key: 'k' });
    expect(await callWrite(context({ ...referenceBacking({ async: true }), lock }), () => 'locked')).toBe('locked');
    expect(taken).toEqual(['a', 'a']);
  });
});

describe('operation with runUnlocked (a write the backing checks against its lock in one step)', () => {
  const plan = (calls: string[], unlocked: boolean) => () => ({
    ids: ['a'],
    *run(out: { emit(v: string): void }) {
      calls.push('run');
      out.emit(yield* wait('locked'));
    },
    *runUnlocked(out: { emit(v: string): void }) {
      calls.push('try');
      if (unlocked) out.emit('unlocked');
      return yield* wait(Promise.resolve(unlocked));
    },
  });
  const locking = (calls: string[]): BackingStore => ({
    ...referenceBacking({ async: true }),
    lock: (id: string): Promise<ReleaseLock> => {
      calls.push(`lock ${id}`);
      return Promise.resolve(() => void calls.push(`unlock ${id}`));
    },
  });

  it('takes no backing lock when the one-step write succeeds', async () => {
    const calls: string[] = [];
    expect(await firstValueFrom(operation<string>(context(locking(calls)), 'test', plan(calls, true)))).toBe('unlocked');
    expect(calls).toEqual(['try']);
  });

  it('runs the plan under the backing lock when the one-step write found the lock held', async () => {
    const calls: string[] = [];
    expect(await firstValueFrom(operation<string>(context(locking(calls)), 'test', plan(calls, false)))).toBe('locked');
    expect(calls).toEqual(['try', 'lock a', 'run', 'unlock a']);
  });
});
