import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from '@jest/globals';
import { registeredBackends } from '@konserve-rx/core';
import * as postgres from '@konserve-rx/postgres';

describe('@konserve-rx/postgres exports', () => {
  it('has the documented names', () => {
    expect(Object.keys(postgres).sort()).toEqual([
      'POSTGRES_BACKEND_NAME',
      'connectPostgresStore',
      'deletePostgresStore',
      'postgresBacking',
      'postgresStoreExists',
    ]);
    expect(postgres.POSTGRES_BACKEND_NAME).toBe('postgres');
  });

  it('registers its backend name on import', () => {
    expect(registeredBackends()).toContain('postgres');
  });

  it('creates a backing without connecting, declaring its capabilities as data', async () => {
    const backing = postgres.postgresBacking({ connectionString: 'postgres://nobody@127.0.0.1:1/none', table: 'never' });
    expect(backing.pool.totalCount).toBe(0);
    expect(backing.name).toBe('public.never');
    expect({ ...backing.capabilities }).toEqual({ syncResults: false, atomicMulti: true, multiProcess: true, durable: false });
    await backing.close?.();
  });

  it('rejects a table name PostgreSQL cannot hold with ERR_INVALID_ARGUMENT', () => {
    for (const table of ['', 'x'.repeat(51), 'a\0b']) {
      expect(() => postgres.postgresBacking({ table })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
  });

  it('rejects a misspelled option with ERR_INVALID_ARGUMENT, before connecting', async () => {
    expect(() => postgres.postgresBacking({ table: 't', lockTimout: 5 } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    const err = await firstValueFrom(postgres.connectPostgresStore({ table: 't', compresor: 1 } as never)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
