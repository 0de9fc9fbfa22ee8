/**
 * Child processes for the cross-process tests. Children run the BUILT package
 * (packages/redis/dist), so the tests build it first (a no-op when `npm test` already did).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The monorepo root. */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/** Builds packages/redis (and core) with `tsc -b`; tolerates a failing build only if dist exists. */
export function ensureBuilt(): void {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
  try {
    execFileSync(process.execPath, [tsc, '-b', 'packages/redis'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (e) {
    // another package's work in progress may not compile; an existing build of redis still runs
    if (!existsSync(join(REPO_ROOT, 'packages/redis/dist/index.js'))) throw e;
  }
}

/** A running child with its stdout split into lines. */
export interface Child {
  readonly proc: ChildProcess;
  /** Resolves when the child printed `line` (rejects if it exits first). */
  waitFor(line: string): Promise<void>;
  /** Sends one line to the child's stdin. */
  send(line: string): void;
  /** Resolves when the child has exited. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `packages/redis/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, [join(__dirname, '..', 'children', script), ...args], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  const seen = new Set<string>();
  const waiters: { line: string; resolve: () => void }[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const line of stdout.split('\n')) seen.add(line);
    for (const w of waiters.filter((w) => seen.has(w.line))) w.resolve();
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) =>
    proc.on('close', (code) => res({ code, stdout, stderr })),
  );
  return {
    proc,
    done,
    send: (line) => void proc.stdin!.write(`${line}\n`),
    waitFor: (line) =>
      seen.has(line)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((res) => waiters.push({ line, resolve: res })),
            done.then((d) => Promise.reject(new Error(`child exited (${d.code}) before "${line}": ${d.stderr}`))),
          ]),
  };
}
