#!/usr/bin/env node
/** The `konserve-rx-bench` executable; all logic lives in `bench/` so it can be tested. */
import { main } from './bench/main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`konserve-rx-bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
