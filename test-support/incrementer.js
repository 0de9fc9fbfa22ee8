// The body of the cross-process counter children (redis, postgres): connects, prints "ready",
// waits for "go" on stdin, then runs `count` `update` increments of `key` one after another,
// closes, and prints "done".
'use strict';
const { lastValueFrom } = require('rxjs');

/** Runs the increments on the store `connect()` emits; exits the process when done. */
function incrementer(connect, key, count) {
  (async () => {
    const store = await lastValueFrom(connect());
    const go = new Promise((resolve) => process.stdin.on('data', (d) => String(d).includes('go') && resolve()));
    process.stdout.write('ready\n');
    await go;
    for (let i = 0; i < count; i++) {
      await lastValueFrom(store.update(key, (n) => (n === undefined ? 0 : n) + 1));
    }
    await lastValueFrom(store.close(), { defaultValue: undefined });
    process.stdout.write('done\n');
    process.exit(0);
  })().catch((e) => {
    process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
    process.exit(1);
  });
}

module.exports = { incrementer };
