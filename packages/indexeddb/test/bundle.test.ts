/**
 * What an app ships: core + memory + indexeddb bundled for the browser as published (dist, chosen
 * by package conditions), with esbuild's browser platform and no Node polyfills. The bundle must
 * build, hold no `node:` import, and stay within the size budget (minified + gzipped, rxjs apart).
 */
import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { requireBuilt, REPO_ROOT } from '../../../test-support/children';

/** The budget of the issue that made the browser build: 50 KB minified + gzipped. */
const BUDGET_BYTES = 50 * 1024;

describe('browser bundle of core + memory + indexeddb', () => {
  it('builds for the browser without polyfills, has no node: import, and stays within 50 KB min+gz (rxjs apart)', async () => {
    requireBuilt('packages/indexeddb');
    const result = await build({
      entryPoints: [join(REPO_ROOT, 'packages/indexeddb/test/browser/bundle-entry.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      external: ['rxjs'],
      metafile: true,
      logLevel: 'silent',
      // as an app sees the packages: without the monorepo's tsconfig paths (which map #platform to Node for tsc)
      tsconfigRaw: {},
    });
    const code = result.outputFiles[0]!.text;
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => f.startsWith('node:') || builtinModules.includes(f))).toEqual([]);
    expect(inputs.filter((f) => f.includes('platform/node'))).toEqual([]);
    expect(code).not.toMatch(/["']node:/);
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect({ gzipped, within: gzipped <= BUDGET_BYTES }).toEqual({ gzipped, within: true });
  }, 120_000);
});
