/**
 * The published packages as a user meets them: packed with `npm pack`, linted by publint and
 * arethetypeswrong, then installed from the tarballs into a fresh project outside the repository
 * that pins its own older rxjs (7.5.7, as Angular apps often do), where an ES module script, a
 * CommonJS script and type checks under `nodenext` and `bundler` (without skipLibCheck) use them.
 * Needs the registry or a warm npm cache for the project's third-party dependencies.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuiltAll, installConsumer, packAll, runCommand, type CommandResult, type Packed } from '../consumer';
import { publishedPackages, REPO_ROOT } from '../workspaces';

const APP_RXJS = '7.5.7';
const RESOLUTIONS = ['nodenext', 'bundler'] as const;
const LONG = 300_000;
const packages = publishedPackages();
const temp = mkdtempSync(join(tmpdir(), 'konserve-rx-packaging-'));
const app = join(temp, 'app');
let packed: Packed[] = [];
let linted: Promise<CommandResult>;
let installed: Promise<CommandResult>;
let typeChecks: Promise<Record<string, CommandResult> | undefined>;

beforeAll(async () => {
  requireBuiltAll(packages);
  mkdirSync(join(temp, 'tarballs'));
  packed = await packAll(packages, join(temp, 'tarballs'));
  // the slow steps start here, side by side where independent; each test awaits the one it needs
  linted = runCommand(process.execPath, [join(REPO_ROOT, 'packaging', 'lint-tarballs.mjs'), ...packed.map((p) => p.tarball)], REPO_ROOT);
  installed = installConsumer(app, packed, APP_RXJS);
  typeChecks = installed.then(async (result) => (result.code === 0 ? typeCheckAll() : undefined));
}, LONG);

afterAll(async () => {
  await Promise.allSettled([linted, installed, typeChecks]);
  rmSync(temp, { recursive: true, force: true });
});

/** Runs tsc in the fresh project once per module resolution, in parallel. */
async function typeCheckAll(): Promise<Record<string, CommandResult>> {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
  const runs = RESOLUTIONS.map((r) => runCommand(process.execPath, [tsc, '-p', `tsconfig.${r}.json`], app));
  const results = await Promise.all(runs);
  return Object.fromEntries(RESOLUTIONS.map((r, i) => [r, results[i]!]));
}

/** Fails with npm's own output when the fresh project did not install. */
async function expectInstalled(): Promise<void> {
  const result = await installed;
  expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
}

/** Runs `node <script>` in the fresh project and returns what it printed. */
async function runInApp(script: string): Promise<{ code: number | null; output: string }> {
  const result = await runCommand(process.execPath, [script], app);
  return { code: result.code, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('packed tarballs', () => {
  it('are one per published workspace package', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => p.manifest.name).sort());
  });

  it('ship LICENSE, README, CHANGELOG and the built entry point, and no build info', () => {
    for (const { name, files } of packed) {
      expect({
        name,
        has: ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'dist/index.d.ts'].filter((f) => files.includes(f)).length,
      }).toEqual({ name, has: 6 });
      expect({ name, buildInfo: files.filter((f) => f.endsWith('.tsbuildinfo')) }).toEqual({ name, buildInfo: [] });
    }
  });

  it(
    'have no publint message and no arethetypeswrong problem',
    async () => {
      const result = await linted;
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(result.stdout) as Record<string, string[]>;
      for (const p of packed) expect({ name: p.name, problems: report[p.tarball] }).toEqual({ name: p.name, problems: [] });
    },
    LONG,
  );
});

describe(`a fresh project with its own rxjs ${APP_RXJS}, installing the tarballs`, () => {
  it('installs them from the tarballs', expectInstalled, LONG);

  it(
    'loads every package with import, and a store Observable is instanceof the app rxjs Observable',
    async () => {
      await expectInstalled();
      expect(await runInApp('esm.mjs')).toEqual({ code: 0, output: 'esm ok' });
    },
    LONG,
  );

  it(
    'loads every package with require, all sharing the app rxjs, and a file store round-trips',
    async () => {
      await expectInstalled();
      expect(await runInApp('cjs.cjs')).toEqual({ code: 0, output: 'cjs ok' });
    },
    LONG,
  );

  it.each(RESOLUTIONS)(
    'type-checks under moduleResolution %s without skipLibCheck',
    async (resolution) => {
      await expectInstalled();
      const result = (await typeChecks)![resolution]!;
      expect({ code: result.code, output: `${result.stdout}${result.stderr}`.trim() }).toEqual({ code: 0, output: '' });
    },
    LONG,
  );
});
