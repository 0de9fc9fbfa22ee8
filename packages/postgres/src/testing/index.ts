/** @konserve-rx/postgres/testing: a private PostgreSQL cluster for tests and benchmarks. */
export { postgresBinDir, postgresUnavailable, startPostgresServer } from './postgres-server';
export type { PostgresServer } from './postgres-server';
