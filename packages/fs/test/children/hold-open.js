// Child process for the session tests: `node hold-open.js <store path>` opens the store, writes the
// key "child", prints "open", and keeps the store open until killed or until stdin closes.
'use strict';
const { connectFileStore } = require('@konserve-rx/fs');
const { firstValueFrom, lastValueFrom } = require('rxjs');

const [path] = process.argv.slice(2);
(async () => {
  const store = await firstValueFrom(connectFileStore({ path, fsync: false }));
  await lastValueFrom(store.assoc('child', process.pid));
  process.stdout.write('open\n');
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await lastValueFrom(store.close(), { defaultValue: undefined });
    process.stdout.write('closed\n');
  });
})().catch((e) => {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
});
