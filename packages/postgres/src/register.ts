/** The 'postgres' entry of core's backend registry: importing the package registers it. */
import { backendOptions, registerBackend } from '@konserve-rx/core';
import { connectPostgresStore, POSTGRES_BACKEND_NAME, type PostgresStoreOptions } from './connect';
import { deletePostgresStore, postgresStoreExists } from './lifecycle';
import type { PostgresBackingOptions } from './options';

// importing the package makes `connectStore({ backend: 'postgres', connectionString, table })`
// work, with the lifecycle hooks: a store exists from its first connection until deleteStore drops its table
registerBackend(POSTGRES_BACKEND_NAME, {
  connect: (config) => connectPostgresStore(backendOptions(config) as unknown as PostgresStoreOptions),
  exists: (config) => postgresStoreExists(config as unknown as PostgresBackingOptions),
  delete: (config) => deletePostgresStore(config as unknown as PostgresBackingOptions),
});
