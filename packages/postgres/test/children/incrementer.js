// Child for the many-process test: `node incrementer.js <connectionString> <table> <key> <count>`
// increments <key> of a PostgreSQL store <count> times once told to go
// (test-support/incrementer.js says how).
'use strict';
const { connectPostgresStore } = require('@konserve-rx/postgres');
const { incrementer } = require('../../../../test-support/incrementer');

const [connectionString, table, key, count] = process.argv.slice(2);
incrementer(() => connectPostgresStore({ connectionString, table }), key, Number(count));
