// Child for the fencing tests (redis and fs): a counter incrementer whose `update` can be stalled.
// `node fenced-counter.js <package> <connect function> <json options> <key>` connects, prints
// "ready", then runs one stdin command at a time; each prints "<outcome> <r>" (outcome: "acked"
// or the error's code) and then "done <r>":
//   inc <r>                        one `update` increment of <key>
//   stall <r> <file>               an increment whose update function prints "in-update <r>" and
//                                  then blocks the event loop until <file> exists (the parent
//                                  freezes this process meanwhile, or lets the lock expire)
//   after <r> <start> <done>       prints "waiting <r>", waits until file <start> exists, then
//                                  increments and also writes the outcome to file <done>; an
//                                  increment refused with ERR_LOCK_LOST (this process stalled past
//                                  the lease on a loaded machine: nothing was written) is retried
//   reopen <r>                     closes the store and connects again (outcome "acked")
//   quit                           closes the store and exits 0
'use strict';
const { existsSync, writeFileSync } = require('node:fs');
const { lastValueFrom } = require('rxjs');

const [pkg, connectName, json, key] = process.argv.slice(2);
const connect = require(pkg)[connectName];
const options = JSON.parse(json);
const pause = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread (timers, lock renewals, heartbeats included) until `file` exists. */
const blockUntil = (file) => {
  while (!existsSync(file)) Atomics.wait(pause, 0, 0, 2);
};
const say = (line) => process.stdout.write(`${line}\n`);
const increment = (store, fn) =>
  lastValueFrom(store.update(key, fn)).then(
    () => 'acked',
    (e) => (e && e.code) || String(e),
  );
const waitForFile = async (file) => {
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 5));
};

let store;
const commands = {
  inc: (_r) => increment(store, (n) => (n ?? 0) + 1),
  stall: (r, file) =>
    increment(store, (n) => {
      say(`in-update ${r}`);
      blockUntil(file);
      return (n ?? 0) + 1;
    }),
  after: async (r, start, done) => {
    say(`waiting ${r}`);
    await waitForFile(start);
    let outcome = await increment(store, (n) => (n ?? 0) + 1);
    for (let retries = 0; outcome === 'ERR_LOCK_LOST' && retries < 10; retries++) outcome = await increment(store, (n) => (n ?? 0) + 1);
    writeFileSync(done, outcome);
    return outcome;
  },
  reopen: async () => {
    await lastValueFrom(store.close(), { defaultValue: undefined });
    store = await lastValueFrom(connect(options));
    return 'acked';
  },
};

(async () => {
  store = await lastValueFrom(connect(options));
  let queue = Promise.resolve();
  let partial = '';
  process.stdin.setEncoding('utf8').on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) queue = queue.then(() => run(line.trim().split(' ')));
  });
  say('ready');
})().catch(fail);

async function run([name, r, ...args]) {
  if (name === 'quit') {
    await lastValueFrom(store.close(), { defaultValue: undefined });
    process.exit(0);
  }
  try {
    say(`${await commands[name](r, ...args)} ${r}`);
    say(`done ${r}`);
  } catch (e) {
    fail(e);
  }
}

function fail(e) {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
}
