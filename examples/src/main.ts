/**
 * The konserve-rx demo, step by step on a file store in ./data (under the current folder):
 * assoc, get, update, assocIn/getIn, append/log/reduceLog, keys, watch, and a pipeline with
 * assocTo and getFrom; then it closes the store and the process ends on its own. Run it twice:
 * the visit counter grows by one per run, and the journal by one entry, because the store lives
 * on disk.
 *
 * Run:  npm start                                  (from the repository root: builds, then runs this)
 *       node examples/dist/main.js [store-folder]   (default ./data)
 */
import { resolve } from 'node:path';
import { concat, filter, from, ignoreElements, lastValueFrom, map, mergeMap, of, take, toArray } from 'rxjs';
import { assocTo, getFrom, type AppendLog, type Schema, type Store } from '@konserve-rx/core';
import { openStore, run, type ExampleOptions } from './support';

/** A person, stored under `user/<id>`. */
export interface User {
  name: string;
  born: number;
  address?: { city: string };
}

/** One line of the demo's journal. */
export interface Visit {
  at: string;
  note: string;
}

/** What the demo's store holds: declared once, so every call below infers its types. */
export type DemoSchema = Schema<{
  [user: `user/${string}`]: User;
  visits: number;
  likes: number;
  journal: AppendLog<Visit>;
}>;

/**
 * Runs the demo.
 * @param options - `dir` (default `./data`) and `out` (default `console.log`)
 * @returns a promise that resolves once the store is closed
 */
export async function main(options: ExampleOptions = {}): Promise<void> {
  const dir = resolve(options.dir ?? 'data');
  const say = options.out ?? console.log;
  say(`konserve-rx demo: a file store in ${dir}`);
  const store = await openStore<DemoSchema>(dir);
  try {
    await values(store, say);
    await logs(store, say);
    await pipelines(store, say);
  } finally {
    await lastValueFrom(store.close());
  }
  say('close                                  -> done; the data stays in the folder');
}

type Say = (line: string) => void;

/** assoc, get, update, assocIn and getIn. */
async function values(store: Store<DemoSchema>, say: Say): Promise<void> {
  const meta = await lastValueFrom(store.assoc('user/ada', { name: 'Ada Lovelace', born: 1815 }));
  say(`assoc    user/ada                      -> stored a ${meta.type}, lastWrite ${meta.lastWrite.toISOString()}`);

  const ada = await lastValueFrom(store.get('user/ada'));
  say(`get      user/ada                      -> ${JSON.stringify(ada)}`);

  const visits = await lastValueFrom(store.update('visits', (n) => (n ?? 0) + 1));
  say(`update   visits                        -> ${visits.new} (was ${visits.old ?? 'missing'}; run again and it goes on)`);

  await lastValueFrom(store.assocIn(['user/ada', 'address', 'city'], 'London'));
  const city = await lastValueFrom(store.getIn(['user/ada', 'address', 'city']));
  say(`assocIn  [user/ada, address, city]     -> getIn gives ${city}`);
}

/** append, log and reduceLog. */
async function logs(store: Store<DemoSchema>, say: Say): Promise<void> {
  const visits = (await lastValueFrom(store.get('visits'))) ?? 0;
  await lastValueFrom(store.append('journal', { at: new Date().toISOString(), note: `visit ${visits}` }));
  const notes = await lastValueFrom(
    store.log('journal').pipe(
      map((v) => v.note),
      toArray(),
    ),
  );
  const count = await lastValueFrom(store.reduceLog('journal', (n) => n + 1, 0));
  say(`append   journal                       -> the log holds ${count} ${count === 1 ? 'entry' : 'entries'}: ${notes.join(', ')}`);
}

/** assocTo, keys, watch, and a keys -> getFrom pipeline. */
async function pipelines(store: Store<DemoSchema>, say: Say): Promise<void> {
  const people = [
    ['user/grace', { name: 'Grace Hopper', born: 1906 }],
    ['user/alan', { name: 'Alan Turing', born: 1912 }],
    ['user/edsger', { name: 'Edsger Dijkstra', born: 1930 }],
  ] as const;
  const written = await lastValueFrom(from(people).pipe(assocTo(store, { concurrency: 2 }), toArray()));
  say(`assocTo  3 users, 2 at a time          -> ${written.length} writes`);

  const keys = await lastValueFrom(
    store.keys().pipe(
      map((m) => String(m.key)),
      toArray(),
    ),
  );
  say(`keys                                   -> ${keys.sort().join(', ')}`);

  // watch emits the current value, then one value per committed write; the two likes start
  // once the watcher has its first value, so it sees both
  const like = store.update('likes', (n) => (n ?? 0) + 1);
  const seen = await lastValueFrom(
    store.watch('likes').pipe(
      mergeMap((v, i) => (i === 0 ? concat(of(v), concat(like, like).pipe(ignoreElements())) : of(v))),
      take(3),
      map((v) => v ?? 'missing'),
      toArray(),
    ),
  );
  say(`watch    likes                         -> ${seen.join(' -> ')} (the current value, then one per update)`);

  const born = await lastValueFrom(
    store.keys().pipe(
      map((m) => m.key),
      filter((key): key is `user/${string}` => typeof key === 'string' && key.startsWith('user/')),
      getFrom(store, { concurrency: 4 }),
      map((user) => `${user?.name} (${user?.born})`),
      toArray(),
    ),
  );
  say(`pipeline keys -> getFrom               -> ${born.sort().join('; ')}`);
}

if (require.main === module) run(main, { dir: process.argv[2] ?? 'data' });
