/**
 * The page the Chromium tests drive: the compliance suite (over the real IndexedDB and over
 * memory) through the browser test runner, and small store actions for persistence and cross-tab
 * tests, on `globalThis.konserve`. Bundled by test-support/chromium.ts.
 */
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { connectIndexedDbStore } from '@konserve-rx/indexeddb';
import { connectMemoryStore } from '@konserve-rx/memory';
import { firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { miniHarness, type TestResult } from '../../../../test-support/browser/mini-harness';

let seq = 0;
const watches = new Map<string, { values: unknown[]; sub: Subscription }>();
const store = (name: string) => firstValueFrom(connectIndexedDbStore({ name }));

/** What the Node side calls through `page.evaluate`. */
const konserve = {
  /** Runs the whole compliance suite over a fresh IndexedDB database (or memory store) per test. */
  compliance: async (backend: 'indexeddb' | 'memory'): Promise<TestResult[]> => {
    const harness = miniHarness();
    const connect = backend === 'memory' ? () => connectMemoryStore() : () => connectIndexedDbStore({ name: `compliance-${Date.now()}-${++seq}` });
    runStoreCompliance({ name: backend, connect, harness });
    return harness.run();
  },
  /** Writes `value` under `key` in database `name`, and closes the store. */
  assoc: async (name: string, key: string, value: unknown): Promise<void> => {
    const s = await store(name);
    await lastValueFrom(s.assoc(key, value));
    await lastValueFrom(s.close());
  },
  /** Reads `key` from database `name`. */
  get: async (name: string, key: string): Promise<unknown> => {
    const s = await store(name);
    const value = await firstValueFrom(s.get(key));
    await lastValueFrom(s.close());
    return value;
  },
  /** Starts watching `key` of database `name`; resolves once the current value arrived. */
  watch: async (name: string, key: string): Promise<void> => {
    const s = await store(name);
    const values: unknown[] = [];
    await new Promise<void>((resolve) => watches.set(`${name}/${key}`, { values, sub: s.watch(key).subscribe((v) => (values.push(v), resolve())) }));
  },
  /** What the watch of `key` in database `name` has seen so far. */
  watched: (name: string, key: string): unknown[] => watches.get(`${name}/${key}`)?.values ?? [],
};

Object.assign(globalThis, { konserve, ready: true });
export type KonservePage = typeof konserve;
