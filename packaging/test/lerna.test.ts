/**
 * lerna does what it is in the repository for: it sees every published package, and one
 * `lerna version` moves every package and every internal range together (fixed mode). Runs on a
 * copy of the manifests in a fresh git repository, offline, so the real tree is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type CommandResult } from '../consumer';
import { publishedPackages, readJson, REPO_ROOT, workspacePackages, type Manifest } from '../workspaces';

const NEXT = '99.1.0';
const LONG = 300_000;
const copy = mkdtempSync(join(tmpdir(), 'konserve-rx-lerna-'));
const lerna = require.resolve('lerna/dist/cli.js', { paths: [REPO_ROOT] });
const workspaces = workspacePackages();
// lerna runs on nx, which would otherwise start a background daemon that outlives the test
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
let listed: CommandResult;

beforeAll(async () => {
  // the manifests, and the script the root's `version` lifecycle runs
  mkdirSync(join(copy, 'packaging'));
  for (const file of ['package.json', 'package-lock.json', 'lerna.json', 'packaging/sync-internal-peers.mjs'])
    copyFileSync(join(REPO_ROOT, file), join(copy, file));
  for (const { dir, abs } of workspaces) {
    mkdirSync(join(copy, dir), { recursive: true });
    copyFileSync(join(abs, 'package.json'), join(copy, dir, 'package.json'));
  }
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'copy'],
  ]) {
    const result = await runCommand('git', args, copy);
    if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  }
  listed = await runCommand(process.execPath, [lerna, 'list', '--json', '--loglevel', 'silent'], copy, NX_ENV);
}, LONG);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** The manifest of a workspace package in the copy. */
const copied = (dir: string): Manifest => readJson(join(copy, dir, 'package.json'));

describe('lerna', () => {
  it('lists every published workspace package', () => {
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { name: string }[]).map((p) => p.name);
    expect(names.sort()).toEqual(
      publishedPackages()
        .map((p) => p.manifest.name)
        .sort(),
    );
  });

  it(
    `lerna version ${NEXT} moves every package, every internal range and the lock file together`,
    async () => {
      const args = [lerna, 'version', NEXT, '--no-git-tag-version', '--no-push', '--yes', '--loglevel', 'error'];
      const bumped = await runCommand(process.execPath, args, copy, NX_ENV);
      expect({ code: bumped.code, stderr: bumped.stderr }).toEqual({ code: 0, stderr: '' });
      expect(readJson<{ version: string }>(join(copy, 'lerna.json')).version).toBe(NEXT);
      const lock = readJson<{ packages: Record<string, { version?: string }> }>(join(copy, 'package-lock.json'));
      for (const { dir } of workspaces) {
        const manifest = copied(dir);
        expect(`${manifest.name}@${manifest.version}`).toBe(`${manifest.name}@${NEXT}`);
        expect(`${dir}@${lock.packages[dir]?.version}`).toBe(`${dir}@${NEXT}`);
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
          for (const [name, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
            if (name.startsWith('@konserve-rx/')) expect({ dir, name, range }).toEqual({ dir, name, range: `^${NEXT}` });
          }
        }
      }
    },
    LONG,
  );
});
