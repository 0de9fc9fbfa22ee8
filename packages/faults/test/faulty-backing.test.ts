/** faultyBacking's own contract: determinism, each kind of fault, and what it leaves in the inner backing. */
import { describe, expect, it } from '@jest/globals';
import { createStore, inspectStore, KonserveError, type BackingStore, type BatchEntry } from '@konserve-rx/core';
import * as pkg from '@konserve-rx/faults';
import { faultyBacking, randomWorkload, runWorkload } from '@konserve-rx/faults';
import { memoryBacking } from '@konserve-rx/memory';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** An asynchronous, non-atomic backing with a stream writer, recording what was committed. */
function recordingBacking(): BackingStore & { blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    capabilities: { syncResults: false, atomicMulti: false, durable: false, multiProcess: false },
    read: async (id) => blobs.get(id),
    write: async (id, data) => void blobs.set(id, data),
    writeBatch: async (entries: readonly BatchEntry[]) => {
      for (const [id, data] of entries) {
        if (data === null) blobs.delete(id);
        else blobs.set(id, data);
      }
    },
    writeStream: async (id, chunks, head) => {
      const parts: Uint8Array[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      parts[0] = head();
      blobs.set(id, Buffer.concat(parts));
    },
    delete: async (id) => blobs.delete(id),
    has: async (id) => blobs.has(id),
    list: () => blobs.keys(),
  };
}

describe('@konserve-rx/faults exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(pkg).sort()).toEqual([
      'ANY',
      'CRASH_OPS',
      'DEFAULT_KEYS',
      'DEFAULT_WEIGHTS',
      'FAULTY_BACKEND_NAME',
      'FAULTY_STORE_OPTIONS',
      'FAULT_OPS',
      'WRITE_OP_NAMES',
      'bump',
      'codeOf',
      'connectFaultyStore',
      'createModel',
      'describeOp',
      'faultyBacking',
      'isWriteOp',
      'keyText',
      'keysOf',
      'observeKey',
      'opCall',
      'randomValue',
      'randomWorkload',
      'runConcurrently',
      'runOp',
      'runWorkload',
      'sameState',
      'sameValue',
      'show',
      'unexplainedFlip',
      'valueOf',
      'verifyAll',
      'workloadArbitraries',
    ]);
  });
});

describe('faultyBacking', () => {
  it('replays: the same seed and calls inject the same faults; another seed differs', async () => {
    const faultsOf = async (seed: number) => {
      const inner = memoryBacking();
      const backing = faultyBacking(inner, { seed, errorRates: { read: 0.1, write: 0.1 }, bitFlipRate: 0.1, crashRate: 0.1 });
      const report = await runWorkload({
        store: createStore(backing),
        clean: createStore(inner),
        ops: randomWorkload({ seed: 5, steps: 60 }),
        faults: backing.faults,
      });
      expect(report.violations).toEqual([]);
      return backing.faults;
    };
    expect(await faultsOf(1)).toEqual(await faultsOf(1));
    expect(await faultsOf(1)).not.toEqual(await faultsOf(2));
    expect((await faultsOf(1)).length).toBeGreaterThan(5);
  });

  it('flips exactly one bit of a copy: the stored bytes never change', () => {
    const inner = memoryBacking();
    inner.write('id', bytes(0, 0, 0, 0));
    const backing = faultyBacking(inner, { seed: 3, bitFlipRate: 1 });
    const read = backing.read('id') as Uint8Array;
    expect(
      [...read]
        .map((b) => b.toString(2))
        .join('')
        .replace(/0/g, ''),
    ).toBe('1');
    expect(inner.read('id')).toEqual(bytes(0, 0, 0, 0));
    expect(backing.faults).toEqual([expect.objectContaining({ kind: 'bitflip', op: 'read', id: 'id' })]);
    expect(backing.read('missing')).toBeUndefined();
  });

  it('stays synchronous over a synchronous backing (faults are thrown), asynchronous over an asynchronous one (faults reject)', async () => {
    const sync = faultyBacking(memoryBacking(), { seed: 1, errorRates: { read: 1 } });
    expect(() => sync.read('x')).toThrow(KonserveError);
    expect(sync.has('x')).toBe(false);
    const asyncBacking = faultyBacking(recordingBacking(), { seed: 1, errorRates: { read: 1 } });
    let threw = false;
    let result: unknown;
    try {
      result = asyncBacking.read('x');
    } catch {
      threw = true;
    }
    expect(threw).toBe(false);
    await expect(result).rejects.toMatchObject({ code: 'ERR_SIMULATED_FAILURE', path: 'x' });
  });

  it('an error never reaches the inner backing; a crashed write or delete does, then fails (the lost acknowledgement)', async () => {
    const inner = recordingBacking();
    await expect(faultyBacking(inner, { seed: 1, errorRates: { write: 1 } }).write('a', bytes(1))).rejects.toMatchObject({ code: 'ERR_SIMULATED_FAILURE' });
    expect(inner.blobs.has('a')).toBe(false);
    const crashing = faultyBacking(inner, { seed: 1, crashRate: 1 });
    await expect(crashing.write('a', bytes(1))).rejects.toMatchObject({ code: 'ERR_SIMULATED_FAILURE' });
    expect(inner.blobs.get('a')).toEqual(bytes(1));
    await expect(crashing.delete('a')).rejects.toMatchObject({ code: 'ERR_SIMULATED_FAILURE' });
    expect(inner.blobs.has('a')).toBe(false);
    expect(crashing.faults.map((f) => [f.kind, f.op, f.kind === 'crash' ? f.applied : ''])).toEqual([
      ['crash', 'write', 'all'],
      ['crash', 'delete', 'all'],
    ]);
  });

  it('a crashed batch applies a proper prefix on a non-atomic backing, nothing or everything on an atomic one', async () => {
    const entries: BatchEntry[] = [
      ['a', bytes(1)],
      ['b', bytes(2)],
      ['c', bytes(3)],
      ['d', null],
    ];
    const seen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const inner = recordingBacking();
      inner.blobs.set('d', bytes(4));
      const backing = faultyBacking(inner, { seed, crashRate: 1 });
      await expect(backing.writeBatch!(entries)).rejects.toBeInstanceOf(KonserveError);
      const f = backing.faults[0]!;
      if (f.kind !== 'crash') throw new Error('expected a crash');
      seen.add(f.applied);
      const applied = entries.filter(([id, data]) => (data === null ? !inner.blobs.has(id) : inner.blobs.has(id))).length;
      expect(applied).toBe(f.applied === 'all' ? 4 : f.entries);
      // a prefix, in entry order
      expect(entries.slice(0, applied).every(([id, data]) => (data === null ? !inner.blobs.has(id) : inner.blobs.has(id)))).toBe(true);
      const atomicInner = memoryBacking();
      const atomic = faultyBacking(atomicInner, { seed, crashRate: 1 });
      expect(() => atomic.writeBatch!(entries)).toThrow(KonserveError);
      expect([0, 3]).toContain([...(atomicInner.list() as Iterable<string>)].length);
    }
    expect([...seen].sort()).toEqual(['all', 'prefix']);
  });

  it('a crashed stream commits nothing when cut midway, everything when its source ended first', async () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const inner = recordingBacking();
      const backing = faultyBacking(inner, { seed, crashRate: 1 });
      async function* chunks() {
        for (let i = 0; i < 3; i++) yield bytes(i, i);
      }
      await expect(backing.writeStream!('s', chunks(), () => bytes(9, 9))).rejects.toBeInstanceOf(KonserveError);
      const f = backing.faults[0]!;
      if (f.kind !== 'crash') throw new Error('expected a crash');
      seen.add(f.applied);
      expect(inner.blobs.has('s')).toBe(f.applied === 'all');
    }
    expect([...seen].sort()).toEqual(['all', 'none']);
  });

  it('builds injected errors with `error`, e.g. a full disk, which core reports as ERR_IO with the cause', async () => {
    const enospc = Object.assign(new Error('no space left on device'), { code: 'ENOSPC', syscall: 'write' });
    const store = createStore(faultyBacking(memoryBacking(), { seed: 1, errorRates: { write: 1 }, error: () => enospc }));
    const err = await new Promise<KonserveError>((resolve) => store.assoc('k', 1).subscribe({ error: resolve }));
    expect(err.code).toBe('ERR_IO');
    expect(err.cause).toBe(enospc);
  });

  it('pause() passes every call through untouched until resume()', () => {
    const backing = faultyBacking(memoryBacking(), { seed: 1, errorRates: { write: 1 } });
    backing.pause();
    expect(() => backing.write('a', bytes(1))).not.toThrow();
    backing.resume();
    expect(() => backing.write('a', bytes(1))).toThrow(KonserveError);
  });

  it('has the optional methods of its inner backing, and no others', () => {
    const memory = faultyBacking(memoryBacking(), { seed: 1 });
    expect(memory.writeStream).toBeUndefined();
    expect(memory.open).toBeUndefined();
    expect(typeof memory.readHead).toBe('function');
    expect(typeof faultyBacking(recordingBacking(), { seed: 1 }).writeStream).toBe('function');
    expect(typeof memory.writeBatch).toBe('function');
  });

  it.each([[{ bitFlipRate: 2 }], [{ crashRate: -0.1 }], [{ errorRates: { write: Number.NaN } }], [{ errorRates: { fly: 0.5 } }]])(
    'rejects bad options %j with ERR_INVALID_ARGUMENT',
    (options) => {
      expect(() => faultyBacking(memoryBacking(), options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    },
  );
});

describe('faultyBacking: unknown options', () => {
  it('throws ERR_INVALID_ARGUMENT naming a misspelled option (crashrate for crashRate)', () => {
    let err: unknown;
    try {
      faultyBacking(memoryBacking(), { crashrate: 0.5 } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KonserveError);
    expect((err as KonserveError).code).toBe('ERR_INVALID_ARGUMENT');
    expect((err as KonserveError).message).toContain("'crashrate'");
  });
});

describe('faultyBacking passes through what it does not fault', () => {
  it('the inner backing counters reach inspectStore through the faulty backing', () => {
    const inner = { ...memoryBacking(), inspect: () => ({ sweeps: 1 }) };
    expect(inspectStore(createStore(faultyBacking(inner, { seed: 1 }))).backing).toEqual({ sweeps: 1 });
  });
});
