// Child for the cross-process events test: `node writer.js <connectionString> <table> <key> <json value>`
// assocs the value, appends it to the log "<key>-log", dissocs "<key>-gone", writes "<key>-big"
// with user meta too large for one NOTIFY payload, closes, prints "done".
'use strict';
const { connectPostgresStore } = require('@konserve-rx/postgres');
const { lastValueFrom } = require('rxjs');

const [connectionString, table, key, json] = process.argv.slice(2);
(async () => {
  const store = await lastValueFrom(connectPostgresStore({ connectionString, table }));
  await lastValueFrom(store.assoc(key, JSON.parse(json), { meta: { by: 'child' } }));
  await lastValueFrom(store.append(`${key}-log`, 'elem'));
  await lastValueFrom(store.dissoc(`${key}-gone`));
  await lastValueFrom(store.assoc(`${key}-big`, 'large notice', { meta: { note: 'x'.repeat(10000) } }));
  await lastValueFrom(store.close(), { defaultValue: undefined });
  process.stdout.write('done\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
});
