/**
 * The table of backend names core's unknown-backend error reads (`BACKEND_PACKAGES`) is exactly
 * what the published packages register: each package is loaded in a fresh module registry and
 * the names it adds to core's registry are compared with the table's entries for it.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages } from '../workspaces';

type Core = typeof import('@konserve-rx/core');

/**
 * The backend names registered by loading `pkg` itself, and the table core has, in one fresh
 * registry. Its konserve-rx dependencies (`deps`) load first: what they register is theirs.
 */
function registeredBy(pkg: string, deps: readonly string[] = []): { names: string[]; table: Readonly<Record<string, string>> } {
  let result: { names: string[]; table: Readonly<Record<string, string>> } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh registry needs require
    const core = require('@konserve-rx/core') as Core;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const dep of deps) require(dep);
    const before = new Set(core.registeredBackends());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pkg);
    result = { names: core.registeredBackends().filter((n) => !before.has(n)), table: core.BACKEND_PACKAGES };
  });
  return result!;
}

describe('backend registrations', () => {
  const packages = publishedPackages().filter((p) => existsSync(join(p.abs, 'src', 'index.ts')) && p.manifest.name !== '@konserve-rx/core');

  const depsOf = (p: (typeof packages)[number]): string[] =>
    Object.keys((p.manifest.dependencies ?? {}) as Record<string, string>).filter((d) => d.startsWith('@konserve-rx/'));
  it.each(packages.map((p) => [p.manifest.name, depsOf(p)] as const))('%s registers exactly the names BACKEND_PACKAGES gives it', (name, deps) => {
    const { names, table } = registeredBy(name, deps);
    const listed = Object.entries(table)
      .filter(([, pkg]) => pkg === name)
      .map(([backend]) => backend);
    expect(names.sort()).toEqual(listed.sort());
  });

  it('names no package that does not exist', () => {
    const { table } = registeredBy('@konserve-rx/memory');
    const published = new Set(publishedPackages().map((p) => p.manifest.name));
    expect(Object.values(table).filter((pkg) => !published.has(pkg))).toEqual([]);
  });
});
