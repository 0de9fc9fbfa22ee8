// Child process for the crash test: `node crash-writer.js <store path> <keys> <start>` writes
// forever, one sequential writer per key k0..k<keys-1>, values n = start, start+1, ... and prints
// "<key> <n>" after each acknowledged assoc. The parent kills it with SIGKILL at random moments.
'use strict';
const { connectFileStore } = require('@konserve-rx/fs');
const { lastValueFrom } = require('rxjs');

const [path, keys, start] = process.argv.slice(2);

/** A value whose size varies (1 KiB to 192 KiB) so kills land inside writes of every length. */
function valueFor(key, n) {
  const size = 1024 * (1 + ((n * 37) % 192));
  return { key, n, body: new Uint8Array(size).fill(n % 251) };
}

async function writeForever(store, key) {
  for (let n = Number(start); ; n++) {
    await lastValueFrom(store.assoc(key, valueFor(key, n)));
    process.stdout.write(`${key} ${n}\n`);
  }
}

lastValueFrom(connectFileStore({ path, fsync: true })).then((store) => {
  process.stdout.write('ready\n');
  for (let i = 0; i < Number(keys); i++) writeForever(store, `k${i}`).catch(fail);
}, fail);

function fail(e) {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
}
