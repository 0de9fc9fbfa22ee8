/**
 * The shared context of the compliance areas: a fresh, empty store per test (connected in
 * `beforeEach`, closed in `afterEach` unless the test closed it), and the backing's
 * capabilities so areas can branch on what the backing can do, never on its name.
 */
import { firstValueFrom, from, timeout, type ObservableInput } from 'rxjs';
import type { BackingCapabilities } from '../backing';
import { type ComplianceHarness, resolveHarness } from './harness';
import type { Store } from '../store-api';
import { OP_TIMEOUT_MS, collect, run } from './util';

/** Options of {@link runStoreCompliance}. */
export interface ComplianceOptions {
  /** Name shown in describe blocks. */
  name: string;
  /** Returns a fresh, isolated, empty store each call (the fs one on a new temp dir). */
  connect: () => ObservableInput<Store>;
  /** Overrides of the backing's capabilities (default: `store.backing.capabilities`). */
  capabilities?: Partial<BackingCapabilities>;
  /**
   * The test functions to register with (another runner, a browser page).
   * @default the runner's globals (`describe`, `it`, `expect`, `beforeEach`, `afterEach`)
   */
  harness?: ComplianceHarness;
}

/** What every compliance area receives. */
export interface ComplianceContext {
  /** The suite's name. */
  readonly name: string;
  /** The test functions the areas register with. */
  readonly harness: ComplianceHarness;
  /** The store of the running test: fresh, empty and open. Only valid inside a test. */
  readonly store: Store;
  /** The effective capabilities of the running test's store. Only valid inside a test. */
  readonly capabilities: BackingCapabilities;
  /** Connects one more fresh store for the running test (closed after it). */
  connect(): Promise<Store>;
  /** Closes the running test's store (so `afterEach` leaves it alone); resolves with what `close()` emitted. */
  close(): Promise<unknown[]>;
  /**
   * Registers `body` as a describe block that only applies when the backing has `cap`.
   * Known at registration (from `options.capabilities`): skipped with the reason in its name.
   * Otherwise each test must start with `if (!ctx.has(cap)) return;`, and the block's name says so.
   */
  whenCapable(cap: keyof BackingCapabilities, title: string, body: () => void): void;
  /** Whether the running test's store has `cap`. */
  has(cap: keyof BackingCapabilities): boolean;
}

/**
 * Creates the context and registers the per-test store hooks in the current describe block.
 * @param options - the suite's name, its store factory and capability overrides
 * @returns the context the areas share; its `store` is valid only inside a test
 */
export function createContext(options: ComplianceOptions): ComplianceContext {
  const harness = resolveHarness(options.harness);
  const { describe, beforeEach, afterEach } = harness;
  let current: Store | undefined;
  let closed = false;
  let extras: Store[] = [];
  const open = () => firstValueFrom(from(options.connect()).pipe(timeout(OP_TIMEOUT_MS)));

  beforeEach(async () => {
    current = await open();
    closed = false;
  });
  afterEach(async () => {
    const store = current;
    current = undefined;
    const more = extras;
    extras = [];
    for (const extra of more) await run(extra.close());
    if (store && !closed) await run(store.close());
  });

  const requireStore = (): Store => {
    if (!current) throw new Error('ctx.store is only available inside a test');
    return current;
  };
  const ctx: ComplianceContext = {
    name: options.name,
    harness,
    get store() {
      return requireStore();
    },
    get capabilities() {
      return { ...requireStore().backing.capabilities, ...options.capabilities };
    },
    async connect() {
      const store = await open();
      extras.push(store);
      return store;
    },
    async close() {
      const store = requireStore();
      closed = true;
      return collect(store.close());
    },
    whenCapable(cap, title, body) {
      const declared = options.capabilities?.[cap];
      if (declared === false) describe.skip(`${title} (skipped: the backing lacks capabilities.${cap})`, body);
      else if (declared === true) describe(`${title} (capabilities.${cap})`, body);
      else describe(`${title} (only checked when capabilities.${cap} is true; passes vacuously otherwise)`, body);
    },
    has(cap) {
      return ctx.capabilities[cap] === true;
    },
  };
  return ctx;
}
