#!/usr/bin/env node
// The committed launcher of `konserve-rx-bench`: npm links a bin only when its file exists at
// install time, and dist/ does not exist until the repository is built. This file always
// exists, so the bin is linked after `npm install`, and it says what to do when the build is missing.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.js');
if (existsSync(cli)) {
  require(cli);
} else {
  process.stderr.write(
    `konserve-rx-bench is not built yet (${cli} is missing).\n` +
      'Run `npm run build` in the konserve-rx repository first, then run konserve-rx-bench again.\n',
  );
  process.exitCode = 1;
}
