/**
 * A reactive import: streams a JSON-lines file line by line, parses each line (reporting and
 * skipping bad ones), writes the records with `assocTo` at bounded concurrency while counting
 * progress, then queries the store with `keys` and `getFrom`.
 *
 * Run:  node examples/dist/import-jsonl.js [file.jsonl] [store-folder]
 *       (default: examples/data/users.jsonl into an in-memory store)
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EMPTY, Observable, defaultIfEmpty, from, last, lastValueFrom, map, mergeMap, of, reduce, scan, tap } from 'rxjs';
import { assocTo, getFrom, type Schema, type Store } from '@konserve-rx/core';
import { openStore, run, type ExampleOptions } from './support';

/** One imported record. */
export interface Person {
  id: number;
  name: string;
  city: string;
  joined: string;
}

/** The import's store: each record under `person/<id>`. */
export type PeopleSchema = Schema<{ [person: `person/${number}`]: Person }>;

/** Options of the import example. */
export interface ImportOptions extends ExampleOptions {
  /**
   * The JSON-lines file to import.
   * @default examples/data/users.jsonl
   */
  readonly file?: string | undefined;
  /**
   * How many writes may run at once.
   * @default 8
   */
  readonly concurrency?: number;
  /**
   * Print progress every this many records.
   * @default 10
   */
  readonly every?: number;
}

/** The sample file shipped with the examples. */
export const SAMPLE_FILE = join(__dirname, '..', 'data', 'users.jsonl');

/**
 * Imports the file, printing progress and a summary.
 * @param options - the file, the store folder, the concurrency and where to print
 * @returns a promise that resolves once the store is closed
 */
export async function main(options: ImportOptions = {}): Promise<void> {
  const say = options.out ?? console.log;
  const file = options.file ?? SAMPLE_FILE;
  const concurrency = options.concurrency ?? 8;
  const every = options.every ?? 10;
  const store = await openStore<PeopleSchema>(options.dir);
  say(`importing ${file} with assocTo({ concurrency: ${concurrency} })`);
  try {
    await importFile(store, file, concurrency, every, say);
    await summarize(store, concurrency, say);
  } finally {
    await lastValueFrom(store.close());
  }
}

type Say = (line: string) => void;

/** Streams the file into the store, printing progress. */
async function importFile(store: Store<PeopleSchema>, file: string, concurrency: number, every: number, say: Say): Promise<void> {
  const imported = await lastValueFrom(
    lines(file).pipe(
      mergeMap(({ text, n }) => parse(text, n, say)),
      map((p) => [`person/${p.id}`, p] as const),
      assocTo(store, { concurrency }),
      scan((count) => count + 1, 0),
      tap((count) => count % every === 0 && say(`  ${count} imported`)),
      defaultIfEmpty(0),
      last(),
    ),
  );
  say(`done: ${imported} records imported`);
}

/** Counts the stored people by city: keys, then getFrom, then a reduce. */
async function summarize(store: Store<PeopleSchema>, concurrency: number, say: Say): Promise<void> {
  const byCity = await lastValueFrom(
    store.keys().pipe(
      map((meta) => meta.key as `person/${number}`),
      getFrom(store, { concurrency }),
      reduce((counts, p) => (p ? counts.set(p.city, (counts.get(p.city) ?? 0) + 1) : counts), new Map<string, number>()),
    ),
  );
  const cities = [...byCity].sort(([a], [b]) => a.localeCompare(b)).map(([city, n]) => `${city} ${n}`);
  say(`people by city: ${cities.join(', ') || 'none'}`);
}

/** Emits each line of a text file with its 1-based number, reading the file as a stream. */
function lines(file: string): Observable<{ text: string; n: number }> {
  return new Observable<string>((subscriber) => {
    const input = createReadStream(file, 'utf8');
    // readline does not surface errors of the file stream (e.g. ENOENT); forward them
    input.on('error', (e) => subscriber.error(e));
    const sub = from(createInterface({ input, crlfDelay: Infinity })).subscribe(subscriber);
    return () => {
      sub.unsubscribe();
      input.destroy();
    };
  }).pipe(
    map((text, i) => ({ text, n: i + 1 })),
    mergeMap((line) => (line.text.trim() === '' ? EMPTY : of(line))),
  );
}

/** Parses one line into a Person, or reports it and emits nothing. */
function parse(text: string, n: number, say: (line: string) => void): Observable<Person> {
  try {
    const p = JSON.parse(text) as Partial<Person>;
    if (typeof p.id === 'number' && typeof p.name === 'string' && typeof p.city === 'string') return of(p as Person);
    say(`  line ${n}: skipped, not a person record`);
  } catch (e) {
    say(`  line ${n}: skipped, not JSON (${(e as Error).message})`);
  }
  return EMPTY;
}

if (require.main === module) run(main, { file: process.argv[2], dir: process.argv[3] });
