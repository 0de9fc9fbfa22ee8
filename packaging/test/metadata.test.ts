/**
 * What every published package must carry, checked on every non-private workspace package so a
 * new package cannot ship without it: the MIT notice, registry metadata, Node engines, the
 * dependencies an app must share declared as peers, internal dependencies as ranges that lerna
 * moves together, every import of the source declared, and a README whose links work on the
 * registry page.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { publishedPackages, readJson, REPO_ROOT, rootManifest, type Manifest } from '../workspaces';

/**
 * Dependencies whose objects cross the API (an app's `Observable`, its ioredis client, its keyv,
 * its fast-check): a package's own copy would break `instanceof` and type identity, so they are
 * peers, never dependencies.
 */
const SHARED_WITH_APP = ['rxjs', 'ioredis', 'keyv', 'fast-check'];

const root = rootManifest();
const rootRepository = (root['repository'] as { url?: string } | undefined) ?? {};
const repoUrl = (rootRepository.url ?? '<the root package.json has no repository>').replace(/^git\+/, '').replace(/\.git$/, '');
const lernaVersion = readJson<{ version: string }>(join(REPO_ROOT, 'lerna.json')).version;
const packages = publishedPackages();
const published = new Map(packages.map((p) => [p.manifest.name, p.manifest]));

type Deps = Record<string, string>;
const depsOf = (m: Manifest, field: string): Deps => (m[field] as Deps | undefined) ?? {};

describe('published packages', () => {
  it('are discovered from the root workspaces', () => {
    expect(packages.map((p) => p.manifest.name)).toContain('@konserve-rx/core');
  });

  it('lerna versions them together (fixed mode) at the version every package has', () => {
    expect(lernaVersion).toMatch(/^\d+\.\d+\.\d+/);
    for (const { manifest } of packages) expect(`${manifest.name}@${manifest.version}`).toBe(`${manifest.name}@${lernaVersion}`);
  });

  describe.each(packages.map((p) => [p.dir, p] as const))('%s', (dir, { abs, manifest }) => {
    it('ships the MIT license notice and a changelog', () => {
      expect(manifest['license']).toBe('MIT');
      expect(readFileSync(join(abs, 'LICENSE'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'));
      expect(readFileSync(join(abs, 'CHANGELOG.md'), 'utf8')).toMatch(/^## /m);
    });

    it('has the registry metadata: description, keywords, repository, homepage, bugs, public access', () => {
      expect(manifest['description']).toEqual(expect.stringMatching(/\S/));
      expect((manifest['keywords'] as string[] | undefined)?.length).toBeGreaterThan(0);
      expect(manifest['repository']).toEqual({ type: 'git', url: repoUrl && rootRepository.url, directory: dir });
      expect(manifest['homepage']).toBe(`${repoUrl}/tree/main/${dir}#readme`);
      expect(manifest['bugs']).toEqual({ url: `${repoUrl}/issues` });
      expect(manifest['publishConfig']).toEqual(expect.objectContaining({ access: 'public' }));
      expect(manifest['type']).toBe('commonjs');
    });

    it('declares the Node versions the code needs, the same as the root', () => {
      expect(manifest['engines']).toEqual({ node: (root['engines'] as { node: string }).node });
    });

    it('takes rxjs (and any other object an app hands it) as a peer, never a dependency of its own', () => {
      const deps = depsOf(manifest, 'dependencies');
      const peers = depsOf(manifest, 'peerDependencies');
      for (const name of SHARED_WITH_APP) expect({ name, dependency: deps[name] }).toEqual({ name, dependency: undefined });
      expect(peers['rxjs']).toBe(depsOf(published.get('@konserve-rx/core')!, 'peerDependencies')['rxjs']);
    });

    it('depends on the other @konserve-rx packages by a caret range on their current version', () => {
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
        for (const [name, range] of Object.entries(depsOf(manifest, field))) {
          if (!name.startsWith('@konserve-rx/')) continue;
          expect({ field, name, range }).toEqual({ field, name, range: `^${published.get(name)?.version}` });
        }
      }
    });

    it('declares every package its source imports, as a dependency or a peer', () => {
      const declared = new Set([manifest.name, ...Object.keys(depsOf(manifest, 'dependencies')), ...Object.keys(depsOf(manifest, 'peerDependencies'))]);
      const undeclared = [...importedPackages(join(abs, 'src'))].filter((name) => !declared.has(name));
      expect(undeclared).toEqual([]);
    });

    it('has a README whose links all work on the registry page (absolute, or anchors)', () => {
      const links = [...readFileSync(join(abs, 'README.md'), 'utf8').matchAll(/\]\(([^)\s]+)/g)].map((m) => m[1]!);
      expect(links.filter((link) => !/^(https?:|mailto:|#)/.test(link))).toEqual([]);
    });
  });
});

/** The bare module specifiers (as package names) imported anywhere under `dir`, builtins left out. */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(dir)) {
    // comments go first: TSDoc examples import packages the code itself does not
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'([^'.][^']*)'/gm)) {
      const spec = m[1]!;
      // node builtins, and the package's own subpath imports (`#platform`), need no declaration
      if (spec.startsWith('node:') || spec.startsWith('#') || builtinModules.includes(spec.split('/')[0]!)) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return names;
}

/** Every `.ts` file under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}
