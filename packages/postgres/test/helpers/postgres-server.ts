/**
 * A private PostgreSQL cluster per test file: initdb in a temp folder, a free loopback port, run
 * as the `postgres` OS user when the tests run as root, stopped afterwards. Without the server
 * binaries the PostgreSQL tests are skipped with the reason in their name, except under CI=true,
 * where that is a failure.
 */
import { describe, it } from '@jest/globals';
import { postgresUnavailable } from '@konserve-rx/postgres/testing';

export { startPostgresServer } from '@konserve-rx/postgres/testing';
export type { PostgresServer } from '@konserve-rx/postgres/testing';

/** Why the server cannot run here, or `undefined`. */
const unavailable = postgresUnavailable();

/**
 * Registers `body` as a describe block that needs a PostgreSQL server: skipped with the reason in
 * its name when the binaries are missing, or a failing test instead when `CI=true`.
 */
export function describePostgres(title: string, body: () => void): void {
  if (unavailable === undefined) return describe(title, body);
  if (process.env.CI === 'true') {
    return describe(title, () => {
      it('needs the PostgreSQL server binaries (required when CI=true)', () => {
        throw new Error(unavailable);
      });
    });
  }
  describe.skip(`${title} (skipped: ${unavailable})`, body);
}
