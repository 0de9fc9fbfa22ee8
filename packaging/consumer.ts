/**
 * Packs the published workspace packages and installs the tarballs into a fresh project outside
 * the repository, the way a user meets them: from the registry's tarballs, beside the app's own
 * rxjs, TypeScript settings and module system.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, rootManifest, type WorkspacePackage } from './workspaces';

/** How a command ended, with everything it printed. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One packed tarball, as `npm pack --json` reports it. */
export interface Packed {
  readonly name: string;
  /** The tarball's absolute path. */
  readonly tarball: string;
  /** Every path in the tarball, relative to the package root. */
  readonly files: string[];
}

const FIXTURES = join(__dirname, 'fixtures', 'consumer');

/**
 * Runs a command to its end without a shell.
 * @param command - the program
 * @param args - its arguments
 * @param cwd - the folder it runs in
 * @param env - variables to add to the (cleaned) environment
 * @returns its exit code and output (never rejects on a non-zero exit)
 */
export function runCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Checks that every package was built (`npm test` builds before jest; tests never build into the
 * working tree).
 * @param packages - the packages to pack
 * @throws an `Error` naming the packages without a build, and saying to run `npm run build`
 */
export function requireBuiltAll(packages: readonly WorkspacePackage[]): void {
  const missing = packages.filter((p) => !existsSync(join(p.abs, 'dist', 'index.js')));
  if (missing.length > 0) throw new Error(`not built: ${missing.map((p) => p.dir).join(', ')}; run \`npm run build\` first (npm test does)`);
}

/**
 * Packs every package into `dest` with `npm pack`, as `npm publish` would.
 * @param packages - the packages to pack
 * @param dest - an existing folder for the tarballs
 * @returns one entry per package
 */
export async function packAll(packages: readonly WorkspacePackage[], dest: string): Promise<Packed[]> {
  const args = ['pack', '--json', '--pack-destination', dest, ...packages.flatMap((p) => ['--workspace', p.dir])];
  const result = await runCommand('npm', args, REPO_ROOT);
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
  const reports = JSON.parse(result.stdout) as { name: string; filename: string; files: { path: string }[] }[];
  return reports.map((r) => ({ name: r.name, tarball: join(dest, r.filename), files: r.files.map((f) => f.path) }));
}

/**
 * Writes a fresh project in `dir` that depends on the tarballs, `rxjs` at `rxjsVersion` and what
 * the type checks need, with the scripts of `fixtures/consumer`, and installs it with npm. The
 * install prefers the npm cache (filled by the repository's own `npm ci`) over the network.
 * @param dir - an empty folder outside the repository
 * @param packed - the tarballs to install
 * @param rxjsVersion - the app's own rxjs
 * @returns how `npm install` ended
 */
export async function installConsumer(dir: string, packed: readonly Packed[], rxjsVersion: string): Promise<CommandResult> {
  mkdirSync(dir, { recursive: true });
  const devDependencies = rootManifest()['devDependencies'] as Record<string, string>;
  const dependencies: Record<string, string> = {
    rxjs: rxjsVersion,
    '@types/node': devDependencies['@types/node']!,
    // faults' optional peer, whose types its typings name (see the root README, "Installing")
    'fast-check': devDependencies['fast-check']!,
  };
  for (const p of packed) dependencies[p.name] = `file:${p.tarball}`;
  const manifest = { name: 'konserve-rx-consumer', version: '1.0.0', private: true, dependencies };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeConsumerSources(
    dir,
    packed.map((p) => p.name),
  );
  return runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], dir);
}

/** Copies the fixture scripts and writes the per-package parts: the package list and `all.ts`. */
function writeConsumerSources(dir: string, names: readonly string[]): void {
  for (const file of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, file), join(dir, file));
  // the same checks again as an ES module under nodenext
  copyFileSync(join(FIXTURES, 'typed.ts'), join(dir, 'typed-esm.mts'));
  writeFileSync(join(dir, 'packages.json'), JSON.stringify(names));
  const imports = names.map((name, i) => `import * as p${i} from '${name}';`);
  writeFileSync(join(dir, 'all.ts'), `${imports.join('\n')}\nexport const all = [${names.map((_, i) => `p${i}`).join(', ')}];\n`);
}

/**
 * The environment for child commands, without the `npm_*` settings of the `npm test` that may
 * be running this: they describe the monorepo (its workspaces, its package), not the child's
 * project. The cache, registry and user config stay, so the child uses the same npm setup.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.has(k.toLowerCase())));
}
