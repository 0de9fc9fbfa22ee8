/**
 * What an app ships: core + memory + indexeddb bundled for the browser as published (dist, chosen
 * by package conditions), with esbuild's browser platform, its default conditions (`browser`,
 * `module`) and no Node polyfills. The bundle must build from the packages' ES module build (so unused exports are
 * tree-shaken, and no module comes twice), hold no `node:` import, stay within the size budget
 * (minified + gzipped, rxjs apart), and keep what `sideEffects` says must stay: the backend
 * registrations that an import for its effect performs.
 */
import { describe, expect, it } from '@jest/globals';
import { build, type BuildOptions } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { requireBuilt, REPO_ROOT } from '../../../test-support/children';

/** The budget of the issue that made the browser build: 50 KB minified + gzipped. */
const BUDGET_BYTES = 50 * 1024;

/** esbuild as an app calls it: browser platform, ES module output, nothing else configured. */
const APP_BUILD: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  write: false,
  metafile: true,
  logLevel: 'silent',
  // as an app sees the packages: without the monorepo's tsconfig paths (which map #platform to Node for tsc)
  tsconfigRaw: {},
};

describe('browser bundle of core + memory + indexeddb', () => {
  it('builds for the browser without polyfills, has no node: import, and stays within 50 KB min+gz (rxjs apart)', async () => {
    requireBuilt('packages/indexeddb', 'dist/esm/index.mjs');
    const result = await build({
      ...APP_BUILD,
      entryPoints: [join(REPO_ROOT, 'packages/indexeddb/test/browser/bundle-entry.ts')],
      minify: true,
      external: ['rxjs'],
    });
    const code = result.outputFiles![0]!.text;
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.filter((f) => f.startsWith('node:') || builtinModules.includes(f))).toEqual([]);
    expect(inputs.filter((f) => f.includes('platform/node'))).toEqual([]);
    expect(code).not.toMatch(/["']node:/);
    // every module of ours from the ES module build: a CommonJS one beside it would be a second copy of core
    expect(inputs.filter((f) => /^packages\/[a-z]+\/dist\//.test(f) && !/^packages\/[a-z]+\/dist\/esm\//.test(f))).toEqual([]);
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect({ gzipped, within: gzipped <= BUDGET_BYTES }).toEqual({ gzipped, within: true });
  }, 120_000);

  it('gives a resolver with browser but without module (jest jsdom, which loads node_modules untransformed) the CommonJS build only', async () => {
    requireBuilt('packages/indexeddb', 'dist/esm/index.mjs');
    const result = await build({
      ...APP_BUILD,
      entryPoints: [join(REPO_ROOT, 'packages/indexeddb/test/browser/bundle-entry.ts')],
      external: ['rxjs'],
      conditions: [],
    });
    const ours = Object.keys(result.metafile!.inputs).filter((f) => /^packages\/[a-z]+\/dist\//.test(f));
    expect(ours).toContain('packages/core/dist/platform/browser.js');
    expect(ours.filter((f) => f.includes('/dist/esm/'))).toEqual([]);
  }, 120_000);

  it('keeps the backend registrations of packages imported only for their effect', async () => {
    requireBuilt('packages/indexeddb', 'dist/esm/index.mjs');
    const result = await build({
      ...APP_BUILD,
      stdin: {
        contents: [
          "import '@konserve-rx/memory';",
          "import '@konserve-rx/indexeddb';",
          "import { registeredBackends } from '@konserve-rx/core';",
          'console.log(JSON.stringify(registeredBackends()));',
        ].join('\n'),
        resolveDir: join(REPO_ROOT, 'packages/indexeddb/test'),
        loader: 'ts',
      },
    });
    // the bundle (rxjs inside) runs as an ES module in a Node child: no browser API is touched at load
    const run = spawnSync(process.execPath, ['--input-type=module'], { input: result.outputFiles![0]!.text, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect((JSON.parse(run.stdout) as string[]).sort()).toEqual(['indexeddb', 'memory']);
  }, 120_000);
});
