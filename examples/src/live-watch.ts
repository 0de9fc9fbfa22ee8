/**
 * Live key subscriptions: two writers update one scoreboard key at their own pace while a
 * watcher prints every value the key takes (`watch`), and a second subscriber prints every
 * write to the store (`changes`). Closing the store completes both, so the program ends cleanly.
 *
 * Run:  node examples/dist/live-watch.js [store-folder]   (default: an in-memory store)
 */
import { concatMap, firstValueFrom, interval, lastValueFrom, map, merge, shareReplay, take, tap, toArray } from 'rxjs';
import type { Schema } from '@konserve-rx/core';
import { openStore, run, type ExampleOptions } from './support';

/** Points per player. */
export type Scoreboard = Record<string, number>;

/** The example's store: the scoreboard, and one `last/<player>` note per player. */
export type BoardSchema = Schema<{ scoreboard: Scoreboard; [last: `last/${string}`]: string }>;

/** Options of the live-watch example. */
export interface LiveWatchOptions extends ExampleOptions {
  /**
   * How many points each writer scores.
   * @default 4
   */
  readonly rounds?: number;
}

/**
 * Runs two writers and two watchers until the writers are done, then closes the store.
 * @param options - rounds, store folder and where to print
 * @returns a promise that resolves once the store is closed and both watchers completed
 */
export async function main(options: LiveWatchOptions = {}): Promise<void> {
  const say = options.out ?? console.log;
  const rounds = options.rounds ?? 4;
  const store = await openStore<BoardSchema>(options.dir);

  say(`writers: alice every 3 ms, bob every 5 ms, ${rounds} points each`);
  // hot streams: subscribed now, they run until the store closes
  const board$ = store.watch('scoreboard').pipe(
    map((board, i) => `watch   scoreboard #${i}: ${JSON.stringify(board ?? {})}`),
    shareReplay(),
  );
  const watcher = lastValueFrom(board$.pipe(tap(say), toArray()));
  const writes = lastValueFrom(
    store.changes().pipe(
      map((e) => `${e.op} ${String(e.key)}`),
      toArray(),
    ),
  );
  // start writing once the watcher holds the current value, so every write reaches it as a change
  await firstValueFrom(board$);

  // each writer scores a point every few milliseconds; update is atomic, so no point is lost
  // even when both write at the same moment
  const writer = (player: string, everyMs: number) =>
    interval(everyMs).pipe(
      take(rounds),
      concatMap((round) =>
        store
          .update('scoreboard', (board) => ({ ...board, [player]: (board?.[player] ?? 0) + 1 }))
          .pipe(concatMap(() => store.assoc(`last/${player}`, `round ${round + 1}`))),
      ),
    );
  await lastValueFrom(merge(writer('alice', 3), writer('bob', 5)), { defaultValue: undefined });

  const final = await lastValueFrom(store.get('scoreboard'));
  say(`final   scoreboard: ${JSON.stringify(final)}`);
  await lastValueFrom(store.close());
  const seen = await watcher;
  const events = await writes;
  say(`the watcher saw ${seen.length} values (the first, then one per update); changes saw ${events.length} writes`);
  say(`first writes: ${events.slice(0, 4).join(', ')}, ...`);
}

if (require.main === module) run(main, { dir: process.argv[2] });
