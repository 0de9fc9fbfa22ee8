/**
 * What every example shares: its options (where to keep files, where to print), the choice of
 * store for it (a file store when given a folder, else memory), and running it from the shell.
 */
import { firstValueFrom } from 'rxjs';
import type { Store } from '@konserve-rx/core';
import { connectFileStore } from '@konserve-rx/fs';
import { connectMemoryStore } from '@konserve-rx/memory';

/** The options every example's `main` takes. */
export interface ExampleOptions {
  /**
   * The folder of the example's file store.
   * @default './data' for main.ts; an in-memory store for the other examples
   */
  readonly dir?: string | undefined;
  /**
   * Where the example prints its lines.
   * @default console.log
   */
  readonly out?: (line: string) => void;
}

/**
 * Opens the example's store: a file store in `dir`, or a memory store without one.
 * @param dir - the store folder, if any
 * @returns a promise of the store, declared to hold `V` (the file store itself is untyped)
 */
export function openStore<V>(dir: string | undefined): Promise<Store<V>> {
  if (dir === undefined) return firstValueFrom(connectMemoryStore<V>());
  // a folder holds whatever was written to it: declaring its type is a promise this program keeps
  return firstValueFrom(connectFileStore({ path: dir })) as Promise<Store<V>>;
}

/**
 * Runs an example's `main` from the shell: prints to stdout, and on failure prints the error and
 * sets a failing exit code (without cutting off output still being written).
 * @param main - the example
 * @param options - its options, from the command line
 */
export function run<O extends ExampleOptions>(main: (options?: O) => Promise<void>, options: NoInfer<O>): void {
  main(options).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
