/**
 * Misspelled or unknown options are refused with ERR_INVALID_ARGUMENT naming the option, never
 * silently ignored: createStore, connectStore, the serializers, per-call options (`assoc`'s and
 * `bassoc`'s `{ meta }`) and the store operators. Backends check theirs in their own packages.
 */
import { describe, expect, it } from '@jest/globals';
import { from, lastValueFrom, type Observable } from 'rxjs';
import {
  assocTo,
  cborSerializer,
  checkOptions,
  connectStore,
  createStore,
  getFrom,
  gzipCompressor,
  jsonSerializer,
  KonserveError,
  optionNames,
  pickOptions,
  updateWith,
  type Store,
} from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';

const failureOf = (obs: Observable<unknown>): Promise<unknown> =>
  lastValueFrom(obs).then(
    (v) => {
      throw new Error(`expected ERR_INVALID_ARGUMENT, got ${String(v)}`);
    },
    (e: unknown) => e,
  );

/** Expects an ERR_INVALID_ARGUMENT whose message names `option`: naming it is the point of the check. */
function namesOption(err: unknown, option: string): void {
  expect(err).toBeInstanceOf(KonserveError);
  expect((err as KonserveError).code).toBe('ERR_INVALID_ARGUMENT');
  expect((err as KonserveError).message).toContain(`'${option}'`);
}

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('unknown options: ERR_INVALID_ARGUMENT naming the option', () => {
  it('createStore with a misspelled option, or options that are not an object, throws', () => {
    namesOption(
      thrown(() => createStore(referenceBacking(), { compresor: gzipCompressor() } as never)),
      'compresor',
    );
    expect(thrown(() => createStore(referenceBacking(), 'oops' as never))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(thrown(() => createStore(referenceBacking(), null as never))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(() => createStore(referenceBacking(), { compressor: gzipCompressor(), maxValueBytes: 10, now: Date.now })).not.toThrow();
  });

  // a backend checks its own options in its connect (each backend package tests that)
  it('connectStore with an unknown connect option fails as an error notification, before looking up the backend', async () => {
    namesOption(await failureOf(connectStore({ backend: 'no-such-backend' }, { mod: 'open' } as never)), 'mod');
  });

  it('assoc and bassoc with an unknown per-call option fail and store nothing', async () => {
    const blobs = new Map<string, Uint8Array>();
    const store: Store = createStore(referenceBacking({ map: blobs }));
    namesOption(await failureOf(store.assoc('k', 1, { meat: { a: 1 } } as never)), 'meat');
    namesOption(await failureOf(store.bassoc('k', new Uint8Array([1]), { metta: {} } as never)), 'metta');
    namesOption(await failureOf(store.multiAssoc([['k', 1]], { metaAll: {} } as never)), 'metaAll');
    expect(await failureOf(store.multiAssoc([['k', 1]], { meta: 5 } as never))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(blobs.size).toBe(0);
  });

  it('the store operators refuse an unknown option (concurency for concurrency)', async () => {
    const store: Store = createStore(referenceBacking());
    namesOption(await failureOf(from(['a']).pipe(getFrom(store, { concurency: 2 } as never))), 'concurency');
    namesOption(await failureOf(from([['a', 1] as [string, number]]).pipe(assocTo(store, { orderd: false } as never))), 'orderd');
    namesOption(await failureOf(from(['a']).pipe(updateWith(store, () => 1, { withkey: true } as never))), 'withkey');
  });

  it('the serializers refuse an unknown option', () => {
    namesOption(
      thrown(() => cborSerializer({ type: [] } as never)),
      'type',
    );
    namesOption(
      thrown(() => jsonSerializer({ indnt: 2 } as never)),
      'indnt',
    );
  });
});

describe('checkOptions, the shared validator', () => {
  const NAMES = optionNames<{ a?: number; b?: string }>({ a: true, b: true }, optionNames<{ c?: boolean }>({ c: true }));
  it('accepts undefined and known names (including those of included lists); refuses anything else', () => {
    expect(() => checkOptions('f', undefined, NAMES)).not.toThrow();
    expect(() => checkOptions('f', { a: 1, c: true }, NAMES)).not.toThrow();
    namesOption(
      thrown(() => checkOptions('f', { d: 1 }, NAMES)),
      'd',
    );
    for (const bad of [null, 'oops', 3, [1]]) expect(thrown(() => checkOptions('f', bad, NAMES))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
  it('pickOptions keeps only the named entries', () => {
    expect(pickOptions({ a: 1, c: true, z: 0 }, optionNames<{ a?: number }>({ a: true }))).toEqual({ a: 1 });
  });
});
