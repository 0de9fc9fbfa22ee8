import { describe, expect, it } from '@jest/globals';
import { latencyBacking } from '../src/latency-backing';
import { WRITE_OPS } from '../src/ops';
import { bytes, mapBacking, text } from './helpers/map-backing';

const code = { code: 'ERR_SIMULATED_FAILURE' };

describe('failure injection', () => {
  it('fails every operation at rate 1 with ERR_SIMULATED_FAILURE, before reaching the inner', async () => {
    const inner = mapBacking(true);
    inner.blobs.set('a', bytes('old'));
    const b = latencyBacking(inner, { latency: 1, seed: 1, failures: { rate: 1 } });
    await expect(b.write('a', bytes('new'))).rejects.toMatchObject({ ...code, path: 'a' });
    await expect(b.delete('a')).rejects.toMatchObject(code);
    await expect(
      b.writeBatch?.([
        ['a', null],
        ['c', bytes('c')],
      ]),
    ).rejects.toMatchObject(code);
    await expect(b.read('a')).rejects.toMatchObject(code);
    const iterator = b.list()[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject(code);
    expect(text(inner.blobs.get('a'))).toBe('old');
    expect([...inner.blobs.keys()]).toEqual(['a']);
    expect(b.summary().write).toMatchObject({ count: 1, failed: 1 });
  });

  it('fails only the listed operations', async () => {
    const inner = mapBacking();
    const b = latencyBacking(inner, { latency: 0, seed: 1, failures: { rate: 1, ops: WRITE_OPS } });
    await expect(b.write('a', bytes('x'))).rejects.toMatchObject(code);
    await expect(b.read('a')).resolves.toBeUndefined();
  });

  it('fails about `rate` of the operations, reproducibly', async () => {
    const run = async (): Promise<boolean[]> => {
      const b = latencyBacking(mapBacking(), { latency: 0, seed: 5, failures: { rate: 0.2 } });
      const results = await Promise.allSettled(Array.from({ length: 500 }, (_, i) => b.has(`k${i}`)));
      return results.map((r) => r.status === 'rejected');
    };
    const failed = await run();
    expect(await run()).toEqual(failed);
    const share = failed.filter(Boolean).length / failed.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('rejects a rate outside [0, 1] with ERR_INVALID_ARGUMENT', () => {
    expect(() => latencyBacking(mapBacking(), { failures: { rate: 1.5 } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
