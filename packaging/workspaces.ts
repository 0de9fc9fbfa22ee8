/**
 * The monorepo's packages as npm sees them: the root package.json `workspaces`, each with its
 * manifest. The packaging tests take their list from here, so a package added to `workspaces`
 * is checked without touching them; `private` ones (examples, bench) are never published.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The monorepo root. */
export const REPO_ROOT = resolve(__dirname, '..');

/** The package.json fields the packaging checks read. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly [field: string]: unknown;
}

/** One workspace package: its folder (relative to the root, as listed) and its manifest. */
export interface WorkspacePackage {
  /** The folder as listed in `workspaces`, e.g. `packages/core`. */
  readonly dir: string;
  /** The absolute folder. */
  readonly abs: string;
  readonly manifest: Manifest;
}

/**
 * Reads a JSON file.
 * @param file - an absolute path
 * @returns the parsed value
 */
export function readJson<T = Manifest>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The root package.json. */
export function rootManifest(): Manifest {
  return readJson(join(REPO_ROOT, 'package.json'));
}

/** Every workspace package, in the order the root lists them. */
export function workspacePackages(): WorkspacePackage[] {
  const workspaces = rootManifest()['workspaces'] as string[];
  return workspaces.map((dir) => {
    const abs = join(REPO_ROOT, dir);
    return { dir, abs, manifest: readJson(join(abs, 'package.json')) };
  });
}

/** The workspace packages that are published: every one not marked `private`. */
export function publishedPackages(): WorkspacePackage[] {
  return workspacePackages().filter((p) => p.manifest.private !== true);
}
