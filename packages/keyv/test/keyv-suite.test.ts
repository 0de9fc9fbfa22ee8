/**
 * keyv's own published compliance suite (@keyv/test-suite) against the adapter, once, over a store
 * whose backing answers asynchronously (core's reference backing): the adapter only sees the Store
 * API, so the backend under it does not change what this proves. The suite is written for vitest but takes its runner as an argument
 * (`keyvTestSuite(test, Keyv, store)`, calling `test.it`, `test.beforeEach`, `test.afterEach` and
 * `t.expect` on the test context), so jest runs it through a small shim: jest's `it` gets a
 * zero-argument function (a one-argument one would be taken for a `done` callback) that hands
 * the suite a context holding jest's `expect`.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Keyv, { type KeyvOptions, type KeyvStoreAdapter } from 'keyv';
import { createStore, type Store } from '@konserve-rx/core';
import { referenceBacking } from '@konserve-rx/core/testing';
import { konserveKeyvAdapter } from '@konserve-rx/keyv';

type TestFn = (t: { expect: typeof expect }) => unknown;

/** The part of vitest's API the suite uses, on jest. */
const jestAsVitest = {
  it: (name: string, fn: TestFn) =>
    it(name, async () => {
      await fn({ expect });
    }),
  beforeEach: (fn: () => unknown) =>
    beforeEach(async () => {
      await fn();
    }),
  afterEach: (fn: () => unknown) =>
    afterEach(async () => {
      await fn();
    }),
  expect,
};

/**
 * keyv 5 only wires an adapter's `iterator` for a fixed list of SQL/NoSQL dialects; this subclass
 * wires ours, as `createKeyv` does, so the iterator tests can run against it.
 */
class IteratingKeyv extends Keyv {
  constructor(store?: KeyvStoreAdapter | KeyvOptions, options?: Omit<KeyvOptions, 'store'>) {
    super(store, options);
    const adapter = this.store as { iterator?: (namespace?: string) => AsyncGenerator<unknown[]> };
    if (this.iterator === undefined && typeof adapter.iterator === 'function') this.iterator = this.generateIterator(adapter.iterator.bind(adapter) as never);
  }
}

function suiteOver(name: string, connect: () => Promise<Store>): void {
  describe(`@keyv/test-suite over ${name}`, () => {
    // one konserve store for the run: the suite calls store() many times per test and expects
    // every adapter it returns to see the same data (namespaces keep the tests apart)
    let store: Store | undefined;
    beforeEach(async () => {
      store ??= await connect();
    });
    afterAll(async () => {
      if (store) await firstValueFrom(store.close());
    });
    const adapter = (): KeyvStoreAdapter => konserveKeyvAdapter(store!);
    keyvTestSuite(jestAsVitest as never, Keyv, adapter);
    keyvIteratorTests(jestAsVitest as never, IteratingKeyv as typeof Keyv, adapter);
  });
}

suiteOver('an asynchronous backing', () => Promise.resolve(createStore(referenceBacking({ async: true }))));
