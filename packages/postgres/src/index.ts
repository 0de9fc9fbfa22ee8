/** @konserve-rx/postgres: the PostgreSQL backend, one table shared by many processes, with cross-process change streams. */
import './register';
export { postgresBacking } from './postgres-backing';
export type { PostgresBacking } from './postgres-backing';
export type { PostgresBackingOptions } from './options';
export { connectPostgresStore, POSTGRES_BACKEND_NAME } from './connect';
export type { PostgresStoreOptions } from './connect';
export { deletePostgresStore, postgresStoreExists } from './lifecycle';
