// Child for the concurrent-reads test: `node meta-rewriter.js <url> <prefix> <keys>` rewrites the keys
// "k0".."k<keys-1>" round after round, their user meta cycling through small, ~1.2 KiB and ~2.6 KiB
// (so consecutive versions of a key have metas of different sizes, both sides of core's 1 KiB
// first head read), then a dissoc (so keys also vanish and come back). Prints "writing" after the
// first round and goes on until it reads "stop" on stdin, then closes and prints "done <writes>".
'use strict';
const { connectRedisStore } = require('@konserve-rx/redis');
const { lastValueFrom } = require('rxjs');

const [url, prefix, keys] = process.argv.slice(2);
const META = [{ note: 'small' }, { pad: 'a'.repeat(1200) }, { pad: 'b'.repeat(2600) }];
let stop = false;
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  if (chunk.includes('stop')) stop = true;
});
(async () => {
  const store = await lastValueFrom(connectRedisStore({ url, prefix }));
  let writes = 0;
  for (let round = 0; !stop; round++) {
    for (let k = 0; k < Number(keys); k++) {
      const step = (round + k) % (META.length + 1);
      if (step === META.length) await lastValueFrom(store.dissoc(`k${k}`));
      else await lastValueFrom(store.assoc(`k${k}`, { round }, { meta: META[step] }));
      writes++;
    }
    if (round === 0) process.stdout.write('writing\n');
  }
  await lastValueFrom(store.close(), { defaultValue: undefined });
  process.stdout.write(`done ${writes}\n`);
  process.exit(0);
})().catch((e) => {
  process.stderr.write(`${e && e.code} ${e && e.stack}\n`);
  process.exit(1);
});
