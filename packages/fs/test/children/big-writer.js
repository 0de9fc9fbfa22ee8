// Child process for the torn-read test: `node big-writer.js <store path> <count>` assocs <count>
// values of 256 KiB to the key "big" (value n: bytes all equal to n % 251), then prints "done".
'use strict';
const { connectFileStore } = require('@konserve-rx/fs');
const { lastValueFrom } = require('rxjs');

const [path, count] = process.argv.slice(2);
(async () => {
  const store = await lastValueFrom(connectFileStore({ path, fsync: false }));
  process.stdout.write('ready\n');
  for (let n = 1; n <= Number(count); n++) {
    await lastValueFrom(store.assoc('big', { n, body: new Uint8Array(256 * 1024).fill(n % 251) }));
  }
  await lastValueFrom(store.close(), { defaultValue: undefined });
  process.stdout.write('done\n');
})().catch((e) => {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
});
