// Child for the two-process test: `node incrementer.js <url> <prefix> <key> <count>` increments
// <key> of a Redis store <count> times once told to go (test-support/incrementer.js says how).
'use strict';
const { connectRedisStore } = require('@konserve-rx/redis');
const { incrementer } = require('../../../../test-support/incrementer');

const [url, prefix, key, count] = process.argv.slice(2);
incrementer(() => connectRedisStore({ url, prefix }), key, Number(count));
