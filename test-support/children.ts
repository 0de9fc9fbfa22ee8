/**
 * Child processes for the packages' cross-process tests (fs, redis). Children are plain Node
 * scripts that `require` a package's BUILT output, which `npm test` builds before jest runs; a test
 * only checks that the build is there. Each package's `test/helpers/children.ts` binds these to itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The monorepo root. */
export const REPO_ROOT = resolve(__dirname, '..');

/**
 * Checks that a workspace was built, which child processes, bundles and tarballs need. Tests never
 * build into the working tree: `npm test` builds first; a targeted `npx jest` needs `npm run build`.
 * @param folder - the workspace folder from the repository root, e.g. `'packages/fs'`
 * @param entry - the built file to look for, within the folder
 * @throws an `Error` saying to run `npm run build` when that file is missing
 */
export function requireBuilt(folder: string, entry = 'dist/index.js'): void {
  const path = join(REPO_ROOT, folder, entry);
  if (!existsSync(path)) throw new Error(`${path} is missing: these tests run the built code; run \`npm run build\` first (npm test does)`);
}

/** How a child ended, with everything it printed. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running child with its stdout split into lines. */
export interface Child {
  readonly proc: ChildProcess;
  /** Every complete stdout line so far. */
  readonly lines: string[];
  /** Resolves when a line equal to `line` was printed (rejects if the child exits first). */
  waitFor(line: string): Promise<void>;
  /** Resolves when at least `count` lines were printed (rejects if the child exits first). */
  waitForLines(count: number): Promise<void>;
  /** Sends one line to the child's stdin. */
  send(line: string): void;
  /** Resolves when the child has exited and its output is fully read. */
  readonly done: Promise<ChildExit>;
}

/**
 * Starts the Node script at `script` with `args`, in the repository root.
 * @param script - an absolute path
 * @param args - its command-line arguments
 * @returns the running child
 */
export function startNodeChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, [script, ...args], { cwd: REPO_ROOT });
  const lines: string[] = [];
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];
  let stdout = '';
  let partial = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.filter((w) => w.ready())) w.resolve();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<ChildExit>((res) => proc.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  const until = (ready: () => boolean, what: string): Promise<void> =>
    ready()
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((res) => waiters.push({ ready, resolve: res })),
          done.then((d) => Promise.reject(new Error(`child exited (${d.code ?? d.signal}) before ${what}: ${d.stderr}`))),
        ]);
  const waitFor = (line: string): Promise<void> => until(() => lines.includes(line), `"${line}"`);
  const waitForLines = (count: number): Promise<void> => until(() => lines.length >= count, `${count} lines`);
  return { proc, lines, waitFor, waitForLines, send: (line) => void proc.stdin.write(`${line}\n`), done };
}
