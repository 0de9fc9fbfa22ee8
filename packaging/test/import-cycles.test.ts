/**
 * No package's source has an import cycle, type-only imports included: a cycle makes load order
 * matter (a module reads a half-initialised neighbour) and hides which file is the lower layer.
 * The check reads each `src/**.ts` file's relative imports and re-exports and walks the graph.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT, workspacePackages } from '../workspaces';

/** Every `.ts` file under `dir`. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.{1,2}\/[^'"]*)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]*)['"]/g;

/** The files `file` imports or re-exports by relative path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const base = resolve(dirname(file), (match[1] ?? match[2])!);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target !== undefined) out.push(target);
  }
  return out;
}

/** One cycle through the graph of `files`, as a list of paths, or undefined when there is none. */
export function findCycle(files: readonly string[]): string[] | undefined {
  const edges = new Map(files.map((file) => [file, importsOf(file)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of files) {
    if (state.get(file) !== undefined) continue;
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

const packages = workspacePackages().filter((pkg) => existsSync(join(pkg.abs, 'src')));

describe('import cycles', () => {
  it('the check finds a cycle when there is one (a -> b -> a)', () => {
    const fixture = join(__dirname, '..', 'fixtures', 'import-cycle');
    expect(findCycle(sourceFiles(fixture))?.map((file) => relative(fixture, file))).toEqual(['a.ts', 'b.ts', 'a.ts']);
  });

  it.each(packages.map((pkg) => [pkg.dir, pkg.abs] as const))('%s has none', (_dir, abs) => {
    const cycle = findCycle(sourceFiles(join(abs, 'src')));
    expect(cycle?.map((file) => relative(REPO_ROOT, file)).join(' -> ')).toBeUndefined();
  });
});
