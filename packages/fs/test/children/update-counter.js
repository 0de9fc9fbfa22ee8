// Child process for the cross-process test: `node update-counter.js <store path> <count>`
// increments the key "counter" <count> times through store.update (8 in flight), then prints "done".
'use strict';
const { connectFileStore } = require('@konserve-rx/fs');
const { lastValueFrom, range, mergeMap, switchMap } = require('rxjs');

const [path, count] = process.argv.slice(2);
const work = connectFileStore({ path, fsync: false }).pipe(
  switchMap((store) =>
    range(0, Number(count)).pipe(
      mergeMap(() => store.update('counter', (n) => (n ?? 0) + 1), 8),
      (updates) => new Promise((resolve, reject) => updates.subscribe({ error: reject, complete: () => resolve(store) })),
    ),
  ),
  switchMap((store) => store.close()),
);
lastValueFrom(work, { defaultValue: undefined }).then(
  () => process.stdout.write('done\n'),
  (e) => {
    process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
    process.exit(1);
  },
);
