// Child for the concurrent-reads test: `node meta-rewriter.js <store path> <keys>` rewrites metas
// of a file store until told to stop (test-support/meta-rewriter.js says how).
'use strict';
const { connectFileStore } = require('@konserve-rx/fs');
const { rewriteMetas } = require('../../../../test-support/meta-rewriter');

const [path, keys] = process.argv.slice(2);
rewriteMetas(() => connectFileStore({ path, fsync: false }), Number(keys));
