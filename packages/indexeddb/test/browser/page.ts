/**
 * The page the Chromium tests drive: the compliance suite (over the real IndexedDB and over
 * memory) through the browser test runner, and small store actions for persistence and cross-tab
 * tests, on `globalThis.konserve`. Bundled by test-support/chromium.ts.
 */
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { connectIndexedDbStore, deleteIndexedDbStore, indexedDbBacking } from '@konserve-rx/indexeddb';
import { connectMemoryStore, memoryBacking } from '@konserve-rx/memory';
import { firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { miniHarness, type TestResult } from '../../../../test-support/browser/mini-harness';
import { brotliCompressor, createStore, lz4Compressor } from '@konserve-rx/core';
import { encryptedCodecs, readEntries, storeOfBlobs, writeEntries } from './cross-platform';

let seq = 0;
const watches = new Map<string, { values: unknown[]; sub: Subscription }>();
const store = (name: string) => firstValueFrom(connectIndexedDbStore({ name }));

/** What the Node side calls through `page.evaluate`. */
const konserve = {
  /** Runs the whole compliance suite over a fresh IndexedDB database (or memory store) per test. */
  compliance: async (backend: 'indexeddb' | 'memory', encrypted = false): Promise<TestResult[]> => {
    const harness = miniHarness();
    const names: string[] = [];
    const codecs = encrypted ? encryptedCodecs() : {};
    const fresh = () => connectIndexedDbStore({ name: names[names.push(`compliance-${++seq}`) - 1]!, ...codecs });
    runStoreCompliance({ name: backend, connect: backend === 'memory' ? () => connectMemoryStore() : fresh, harness });
    const results = await harness.run();
    for (const name of names) await lastValueFrom(deleteIndexedDbStore({ name }));
    return results;
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
  /** Reads the cross-platform entries from blobs written elsewhere (base64 by blob id), encrypted or not. */
  readBlobs: (blobs: Record<string, string>, encrypted = false): Promise<Record<string, string>> =>
    readEntries(storeOfBlobs(blobs, encrypted ? encryptedCodecs() : {}).store),
  /** Writes the cross-platform entries into a fresh memory store; resolves with its blobs. */
  writeBlobs: async (encrypted = false): Promise<Record<string, string>> => {
    const { store: s, dump } = storeOfBlobs({}, encrypted ? encryptedCodecs() : {});
    await writeEntries(s);
    return dump();
  },
  /** Runs `n` concurrent `update`s adding 1 to `key` of database `name`. */
  increment: async (name: string, key: string, n: number): Promise<void> => {
    const s = await store(name);
    await Promise.all(Array.from({ length: n }, () => lastValueFrom(s.update(key, (x: unknown) => ((x as number | undefined) ?? 0) + 1))));
    await lastValueFrom(s.close());
  },
  /** writeIfUnlocked of one instance while another instance has the key's lock, then after it released it. */
  writeIfUnlocked: async (name: string): Promise<{ whileHeld: boolean; afterRelease: boolean; stored: number[] }> => {
    const [holder, writer] = [indexedDbBacking({ name }), indexedDbBacking({ name })];
    await Promise.all([holder.ready(), writer.ready()]);
    const release = await holder.lock!('k');
    const whileHeld = await writer.writeIfUnlocked!('k', new Uint8Array([1]));
    await release();
    const afterRelease = await writer.writeIfUnlocked!('k', new Uint8Array([2]));
    const stored = [...((await writer.read('k')) ?? [])];
    await Promise.all([holder.close?.(), writer.close?.()]);
    return { whileHeld, afterRelease, stored };
  },
  /**
   * The Web Locks held over database `name` (by lock name suffix and mode): with one instance, then
   * with a second one, then after an update of each.
   */
  soleMode: async (name: string): Promise<string[][]> => {
    const held = async () =>
      ((await navigator.locks.query()).held ?? [])
        .filter((l) => l.name!.includes(`:${name}`))
        .map((l) => `${l.name!.slice(l.name!.indexOf(name) + name.length)} ${l.mode}`)
        .sort();
    const first = await store(name);
    const seen = [await held()];
    await lastValueFrom(first.update('k', () => 1));
    const second = await store(name);
    seen.push(await held());
    await lastValueFrom(second.update('k', (x: unknown) => (x as number) + 1));
    await lastValueFrom(first.update('k', (x: unknown) => (x as number) + 1));
    seen.push(await held(), [String(await firstValueFrom(second.get('k')))]);
    await Promise.all([lastValueFrom(first.close()), lastValueFrom(second.close())]);
    seen.push(await held());
    return seen;
  },
  /**
   * What a page gets from the codecs browsers lack: writing with brotli, making lz4, and reading
   * `blobs` (written elsewhere with brotli); each failure's code and message.
   */
  lackingCodecs: async (blobs: Record<string, string>, key: string): Promise<Record<string, { code: string | undefined; message: string }>> => {
    const failure = (e: unknown) => ({ code: (e as { code?: string }).code, message: String((e as Error).message) });
    const out: Record<string, { code: string | undefined; message: string }> = {};
    await lastValueFrom(createStore(memoryBacking(), { compressor: brotliCompressor() }).assoc('k', 'v')).catch(
      (e: unknown) => (out['write brotli'] = failure(e)),
    );
    try {
      lz4Compressor();
    } catch (e) {
      out['make lz4'] = failure(e);
    }
    await firstValueFrom(storeOfBlobs(blobs).store.get(key)).catch((e: unknown) => (out['read brotli'] = failure(e)));
    return out;
  },
  /** Bytes the origin uses now, and its quota. */
  estimate: async (): Promise<{ usage: number; quota: number }> => {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { usage, quota };
  },
  /**
   * Writes a small value, then a binary larger than the quota; tells what failed and what stayed
   * (a binary that stayed as its length: megabytes through `page.evaluate` take minutes).
   */
  overQuota: async (name: string, bytes: number): Promise<{ code?: string; cause?: string; value: unknown }> => {
    const s = await store(name);
    await lastValueFrom(s.assoc('k', 'old'));
    const err = await lastValueFrom(s.bassoc('k', new Uint8Array(bytes).fill(7))).then(
      () => undefined,
      (e: { code?: string; cause?: { cause?: { name?: string } } }) => e,
    );
    const stayed = await firstValueFrom(s.get('k'));
    const value = stayed instanceof Uint8Array ? `${stayed.length} bytes` : stayed;
    await lastValueFrom(s.close());
    return { ...(err?.code ? { code: err.code } : {}), ...(err?.cause?.cause?.name ? { cause: err.cause.cause.name } : {}), value };
  },
};

Object.assign(globalThis, { konserve, ready: true });
export type KonservePage = typeof konserve;
