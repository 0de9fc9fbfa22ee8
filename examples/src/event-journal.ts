/**
 * An append-log event journal: a bank account's events are appended to one log key (`append`),
 * replayed one by one (`log`), folded into the balance (`reduceLog`), and the fold is kept as a
 * snapshot beside the log, so a reader can start from the snapshot and replay only newer events.
 *
 * Run:  node examples/dist/event-journal.js [store-folder]   (default: an in-memory store)
 */
import { concatMap, from, lastValueFrom, map, skip, toArray } from 'rxjs';
import type { AppendLog, Schema } from '@konserve-rx/core';
import { openStore, run, type ExampleOptions } from './support';

/** One event of the account. */
export type AccountEvent = { type: 'opened'; owner: string } | { type: 'deposited'; amount: number } | { type: 'withdrew'; amount: number };

/** The balance after a number of events. */
export interface Snapshot {
  events: number;
  balance: number;
}

/** The journal's store: the log, and a snapshot of its fold. */
export type JournalSchema = Schema<{ 'account/42': AppendLog<AccountEvent>; 'account/42/snapshot': Snapshot }>;

const apply = (balance: number, e: AccountEvent): number =>
  e.type === 'deposited' ? balance + e.amount : e.type === 'withdrew' ? balance - e.amount : balance;

/**
 * Appends events, replays them, snapshots the balance, appends more and catches up from the snapshot.
 * @param options - the store folder and where to print
 * @returns a promise that resolves once the store is closed
 */
export async function main(options: ExampleOptions = {}): Promise<void> {
  const say = options.out ?? console.log;
  const store = await openStore<JournalSchema>(options.dir);
  const journal = 'account/42';
  try {
    const first: AccountEvent[] = [
      { type: 'opened', owner: 'Ada' },
      { type: 'deposited', amount: 100 },
      { type: 'withdrew', amount: 30 },
      { type: 'deposited', amount: 12 },
    ];
    // concatMap: one append after the other, in event order (appends to one key are also serialized by the store)
    const heads = await lastValueFrom(
      from(first).pipe(
        concatMap((e) => store.append(journal, e)),
        toArray(),
      ),
    );
    say(`append  ${first.length} events -> the log head counts ${heads.at(-1)?.new.count}`);

    const replayed = await lastValueFrom(
      store.log(journal).pipe(
        map((e, i) => `#${i} ${describe(e)}`),
        toArray(),
      ),
    );
    for (const line of replayed) say(`log     ${line}`);

    const balance = await lastValueFrom(store.reduceLog(journal, apply, 0));
    say(`reduce  balance = ${balance}`);
    await lastValueFrom(store.assoc(`${journal}/snapshot`, { events: replayed.length, balance }));
    say(`assoc   snapshot { events: ${replayed.length}, balance: ${balance} }`);

    await lastValueFrom(store.append(journal, { type: 'withdrew', amount: 50 }));
    await lastValueFrom(store.append(journal, { type: 'deposited', amount: 8 }));
    say('append  2 more events');

    // a reader that starts from the snapshot replays only the events after it
    const snap = (await lastValueFrom(store.get(`${journal}/snapshot`))) ?? { events: 0, balance: 0 };
    const caughtUp = await lastValueFrom(
      store.log(journal).pipe(
        skip(snap.events),
        toArray(),
        map((newer) => ({ newer: newer.length, balance: newer.reduce(apply, snap.balance) })),
      ),
    );
    say(`replay  from the snapshot: ${caughtUp.newer} newer events -> balance = ${caughtUp.balance}`);
    say(`check   a full reduceLog agrees: ${await lastValueFrom(store.reduceLog(journal, apply, 0))}`);
  } finally {
    await lastValueFrom(store.close());
  }
}

function describe(e: AccountEvent): string {
  return e.type === 'opened' ? `opened by ${e.owner}` : `${e.type} ${e.amount}`;
}

if (require.main === module) run(main, { dir: process.argv[2] });
