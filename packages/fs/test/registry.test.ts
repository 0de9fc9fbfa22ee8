/** The lifecycle hooks the file backend registers: core's registry script, and what is special to folders. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { checkRegistryLifecycle, errorOf, run } from '@konserve-rx/core/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteStore, storeExists, type StoreConfig } from '@konserve-rx/core';
import '@konserve-rx/fs';

const root = mkdtempSync(join(tmpdir(), 'konserve-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (): StoreConfig => ({ backend: 'file', path: join(root, `store-${n++}`), fsync: false });

describe('file: lifecycle by config', () => {
  it("follows core's registry script: delete of nothing, create, open, release, exists, delete, open-or-create, reconnect", async () => {
    await checkRegistryLifecycle(fresh());
  });
});

describe('file hooks', () => {
  it('a folder with files but no marker is not a store, and deleteStore refuses it', async () => {
    const path = join(root, 'not-a-store');
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path);
    writeFileSync(join(path, 'precious.txt'), 'keep me');
    const config = { backend: 'file', path };
    expect(await run(storeExists(config))).toBe(false);
    expect((await errorOf(deleteStore(config))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a path that is a regular file errors with ERR_IO from storeExists', async () => {
    const path = join(root, 'a-file');
    writeFileSync(path, 'x');
    expect((await errorOf(storeExists({ backend: 'file', path: join(path, 'below') }))).code).toBe('ERR_IO');
  });

  it('a config without a path errors with ERR_INVALID_ARGUMENT', async () => {
    expect((await errorOf(storeExists({ backend: 'file' }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await errorOf(deleteStore({ backend: 'file' }))).code).toBe('ERR_INVALID_ARGUMENT');
  });
});
