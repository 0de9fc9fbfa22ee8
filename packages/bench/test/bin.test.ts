/**
 * The `konserve-rx-bench` bin as users meet it: linked by `npm install` in the repository,
 * started through npx after a build, packed into the tarball, and explaining itself when the
 * build is missing. Runs child processes over the built package (`npm test` builds it first).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuilt } from '../../../test-support/children';

const repo = join(__dirname, '..', '..', '..');
const launcher = join(repo, 'packages', 'bench', 'bin', 'konserve-rx-bench.js');
const small = ['--ops', '300', '--keys', '60', '--warmup', '20', '--rounds', '1', '--distribution', 'uniform', '--min', '0', '--max', '2', '--no-progress'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the konserve-rx-bench bin', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'konserve-rx-bench-bin-'));
    requireBuilt('packages/bench');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is linked by npm install into node_modules/.bin, to the committed executable launcher', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'packages', 'bench', 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(pkg.name).toBe('@konserve-rx/bench');
    expect(pkg.bin).toEqual({ 'konserve-rx-bench': 'bin/konserve-rx-bench.js' });
    const link = join(repo, 'node_modules', '.bin', 'konserve-rx-bench');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(launcher));
    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    expect(readFileSync(launcher, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const tracked = execFileSync('git', ['ls-files', '--stage', 'packages/bench/bin/konserve-rx-bench.js'], { cwd: repo, encoding: 'utf8' });
    expect(tracked).toMatch(/^100755 /);
  });

  it('prints the usage for `npx --no -- konserve-rx-bench --help` in the repository (no registry lookup)', () => {
    const run = spawnSync(npm, ['exec', '--no', '--', 'konserve-rx-bench', '--help'], { cwd: repo, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/E404|npm error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: konserve-rx-bench/);
  }, 60000);

  it('runs a small workload through the launcher: the table on stdout, JSON and SVG on disk', () => {
    const cwd = mkdtempSync(join(tmp, 'run-'));
    const stdout = execFileSync(process.execPath, [launcher, ...small], { cwd, encoding: 'utf8', stdio: 'pipe' });
    expect(stdout).toContain('| store | all | 300 |');
    expect(
      readdirSync(join(cwd, 'konserve-rx-bench'))
        .map((f) => f.replace(/.*\./, ''))
        .sort(),
    ).toEqual(['json', 'svg']);
  }, 180000);

  it('exits 2 naming an unknown flag, and runs nothing', () => {
    const cwd = mkdtempSync(join(tmp, 'bad-'));
    const run = spawnSync(process.execPath, [launcher, '--opz', '5'], { cwd, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown flag --opz');
    expect(run.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  }, 60000);

  it('says to run `npm run build` (exit 1) when the CLI is not built yet', () => {
    const unbuilt = join(tmp, 'unbuilt');
    mkdirSync(join(unbuilt, 'bin'), { recursive: true });
    copyFileSync(launcher, join(unbuilt, 'bin', 'konserve-rx-bench.js'));
    const run = spawnSync(process.execPath, [join(unbuilt, 'bin', 'konserve-rx-bench.js'), '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run build');
    expect(run.stdout).toBe('');
  }, 60000);

  it('packs the executable launcher and the built CLI, so the bin works when installed from a tarball', () => {
    const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: join(repo, 'packages', 'bench'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [packed] = JSON.parse(out) as Array<{ files: Array<{ path: string; mode: number }> }>;
    const files = new Map(packed?.files.map((f) => [f.path, f.mode]));
    expect((files.get('bin/konserve-rx-bench.js') ?? 0) & 0o111).toBe(0o111);
    expect(files.has('dist/cli.js')).toBe(true);
    expect(files.has('dist/cli/main.js')).toBe(true);
  }, 120000);
});
