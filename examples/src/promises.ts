/**
 * konserve-rx without RxJS: `toAsync(store)` gives the same store with Promises for single
 * results and `for await` loops for streams (keys, logs, changes, watch). A small to-do list:
 * add items, tick one off atomically with `update`, list them, follow a log, and watch a key.
 *
 * Run:  node examples/dist/promises.js [store-folder]   (default: an in-memory store)
 */
import { toAsync, type AppendLog, type Schema } from '@konserve-rx/core';
import { openStore, run, type ExampleOptions } from './support';

/** One item of the list. */
export interface Todo {
  title: string;
  done: boolean;
}

/** The example's store: `todo/<n>` items, a counter, and a log of what happened. */
export type TodoSchema = Schema<{ [todo: `todo/${number}`]: Todo; next: number; history: AppendLog<string> }>;

/**
 * Adds three items, ticks one off, lists them, replays the history and watches the counter.
 * @param options - store folder and where to print
 * @returns a promise that resolves once the store is closed
 */
export async function main(options: ExampleOptions = {}): Promise<void> {
  const say = options.out ?? console.log;
  const store = toAsync(await openStore<TodoSchema>(options.dir));

  // a watch is an async iterable too: it yields the current value, then every new one
  const counter: (number | undefined)[] = [];
  const watching = (async () => {
    for await (const n of store.watch('next')) counter.push(n);
  })();

  for (const title of ['buy milk', 'write tests', 'ship it']) {
    // update runs atomically under the key's lock: two processes adding at once get two numbers
    const { new: n } = await store.update('next', (last) => (last ?? 0) + 1);
    await store.assoc(`todo/${n}`, { title, done: false });
    await store.append('history', `added ${title}`);
    say(`added   todo/${n}: ${title}`);
  }

  const { new: ticked } = await store.update('todo/2', (todo) => ({ ...todo!, done: true }));
  await store.append('history', `done ${ticked.title}`);
  say(`ticked  todo/2: ${ticked.title}`);

  const items: string[] = [];
  for await (const meta of store.keys()) {
    const key = meta.key as `todo/${number}`;
    if (typeof key === 'string' && key.startsWith('todo/')) {
      const todo = await store.get(key);
      items.push(`${todo?.done ? '[x]' : '[ ]'} ${todo?.title}`);
    }
  }
  say(`list    ${items.sort((a, b) => a.slice(4).localeCompare(b.slice(4))).join(', ')}`);

  for await (const entry of store.log('history')) say(`history ${entry}`);

  try {
    // @ts-expect-error the schema says `next` holds a number, not a log; the store refuses it too
    await store.append('next', 'not a log');
  } catch (e) {
    // failures reject with the same KonserveError the Observable API emits
    say(`error   ${(e as { code: string }).code}: next holds a value, not a log`);
  }

  await store.close();
  await watching; // closing the store ends the watch loop
  say(`watched next: ${counter.map(String).join(' -> ')}`);
}

if (require.main === module) run(main, { dir: process.argv[2] });
