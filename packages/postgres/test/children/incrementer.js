// Child for the many-process test: `node incrementer.js <connectionString> <table> <key> <count>`
// connects, prints "ready", waits for "go" on stdin, then runs <count> `update` increments of
// <key> one after another, closes, and prints "done".
'use strict';
const { connectPostgresStore } = require('@konserve-rx/postgres');
const { lastValueFrom } = require('rxjs');

const [connectionString, table, key, count] = process.argv.slice(2);
(async () => {
  const store = await lastValueFrom(connectPostgresStore({ connectionString, table }));
  const go = new Promise((resolve) => process.stdin.on('data', (d) => String(d).includes('go') && resolve()));
  process.stdout.write('ready\n');
  await go;
  for (let i = 0; i < Number(count); i++) {
    await lastValueFrom(store.update(key, (n) => (n === undefined ? 0 : n) + 1));
  }
  await lastValueFrom(store.close(), { defaultValue: undefined });
  process.stdout.write('done\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
});
