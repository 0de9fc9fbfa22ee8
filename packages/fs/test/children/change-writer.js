// Child process for the cross-process change tests: `node change-writer.js <store path> <key> <count>`
// prints "ready" once its store is open, waits for "go" on stdin, then increments <key> <count>
// times with update, appends "from child" to the log "<key>-log", deletes "<key>-gone", closes
// and prints "done".
'use strict';
const { connectFileStore } = require('@konserve-rx/fs');
const { firstValueFrom, lastValueFrom } = require('rxjs');

const [path, key, count] = process.argv.slice(2);
async function main() {
  const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  for (let i = 0; i < Number(count); i++) await lastValueFrom(store.update(key, (n) => (n ?? 0) + 1));
  await lastValueFrom(store.append(`${key}-log`, 'from child'));
  await lastValueFrom(store.dissoc(`${key}-gone`));
  await lastValueFrom(store.close());
  process.stdout.write('done\n');
}
main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
    process.exit(1);
  },
);
