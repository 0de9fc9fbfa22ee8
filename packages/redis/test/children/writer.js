// Child for the cross-process events test: `node writer.js <url> <prefix> <key> <json value>`
// assocs the value, appends it to the log "<key>-log", dissocs "<key>-gone", closes, prints "done".
'use strict';
const { connectRedisStore } = require('@konserve-rx/redis');
const { lastValueFrom } = require('rxjs');

const [url, prefix, key, json] = process.argv.slice(2);
(async () => {
  const store = await lastValueFrom(connectRedisStore({ url, prefix }));
  await lastValueFrom(store.assoc(key, JSON.parse(json), { meta: { by: 'child' } }));
  await lastValueFrom(store.append(`${key}-log`, 'elem'));
  await lastValueFrom(store.dissoc(`${key}-gone`));
  await lastValueFrom(store.close(), { defaultValue: undefined });
  process.stdout.write('done\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
});
