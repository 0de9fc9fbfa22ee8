import { describe, expect, it } from '@jest/globals';
import { runPool } from '../src/pool';

describe('runPool', () => {
  it('never runs more than the cap at once, and runs every task', async () => {
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    await runPool(50, 4, (i, done) => {
      started.push(i);
      peak = Math.max(peak, ++active);
      setTimeout(
        () => {
          active--;
          done();
        },
        (i * 7) % 5,
      );
    });
    expect(peak).toBe(4);
    expect(started).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('starts everything at once with concurrency 0', async () => {
    let active = 0;
    let peak = 0;
    await runPool(30, 0, (_i, done) => {
      peak = Math.max(peak, ++active);
      setImmediate(() => {
        active--;
        done();
      });
    });
    expect(peak).toBe(30);
  });

  it('handles 100,000 synchronous tasks without growing the stack', async () => {
    let count = 0;
    const wall = await runPool(100000, 1, (_i, done) => {
      count++;
      done();
    });
    expect(count).toBe(100000);
    expect(wall).toBeGreaterThanOrEqual(0);
    expect(await runPool(0, 0, () => undefined)).toBe(0);
  });

  it('rejects with the first error a task reports and starts no more tasks', async () => {
    let started = 0;
    const failure = new Error('task 3 failed');
    await expect(
      runPool(20, 2, (i, done) => {
        started++;
        if (i === 3) done(failure);
        else setTimeout(() => done(), 1);
      }),
    ).rejects.toBe(failure);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(4);
  });
});
