// Child for the concurrent-reads test: `node meta-rewriter.js <url> <prefix> <keys>` rewrites
// metas of a Redis store until told to stop (test-support/meta-rewriter.js says how).
'use strict';
const { connectRedisStore } = require('@konserve-rx/redis');
const { rewriteMetas } = require('../../../../test-support/meta-rewriter');

const [url, prefix, keys] = process.argv.slice(2);
rewriteMetas(() => connectRedisStore({ url, prefix }), Number(keys));
