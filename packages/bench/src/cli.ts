/** The `konserve-rx-bench` program, loaded by the committed launcher `bin/konserve-rx-bench.js`; all logic lives in `cli/` so it can be tested. */
import { main } from './cli/main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`konserve-rx-bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
