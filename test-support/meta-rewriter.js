// The body of the concurrent-reads children (fs and redis): rewrites the keys "k0".."k<keys-1>"
// round after round, their user meta cycling through small, ~1.2 KiB and ~2.6 KiB (so consecutive
// versions of a key have metas of different sizes, both sides of core's 1 KiB first head read),
// then a dissoc (so keys also vanish and come back). Prints "writing" after the first round and
// goes on until it reads "stop" on stdin, then closes and prints "done <writes>".
'use strict';
const { lastValueFrom } = require('rxjs');

const META = [{ note: 'small' }, { pad: 'a'.repeat(1200) }, { pad: 'b'.repeat(2600) }];

/** Runs the rewriter on the store `connect()` emits; exits the process when done. */
function rewriteMetas(connect, keys) {
  let stop = false;
  process.stdin.setEncoding('utf8').on('data', (chunk) => {
    if (chunk.includes('stop')) stop = true;
  });
  (async () => {
    const store = await lastValueFrom(connect());
    let writes = 0;
    for (let round = 0; !stop; round++) {
      for (let k = 0; k < keys; k++) {
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
}

module.exports = { rewriteMetas };
