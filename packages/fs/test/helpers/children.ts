/**
 * Child processes for the cross-process tests. Children run the BUILT package (packages/fs/dist),
 * so the tests build it first (a no-op when `npm test` already did).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The monorepo root. */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/** Builds packages/fs (and core) with `tsc -b`; tolerates a failing build only if dist exists. */
export function ensureBuilt(): void {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
  try {
    execFileSync(process.execPath, [tsc, '-b', 'packages/fs'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (e) {
    // another package's work in progress may not compile; an existing build of fs still runs
    if (!existsSync(join(REPO_ROOT, 'packages/fs/dist/index.js'))) throw e;
  }
}

/** A running child with its stdout split into lines. */
export interface Child {
  readonly proc: ChildProcess;
  /** Every complete stdout line so far. */
  readonly lines: string[];
  /** Resolves when a line equal to `line` was printed (rejects if the child exits first). */
  waitFor(line: string): Promise<void>;
  /** Resolves when the child has exited and its output is fully read. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `packages/fs/test/children/<script>` with `args`. */
export function startChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, [join(__dirname, '..', 'children', script), ...args], { cwd: REPO_ROOT });
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let partial = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.line === line)) w.resolve();
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) =>
    proc.on('close', (code, signal) => res({ code, signal, stderr })),
  );
  const waitFor = (line: string): Promise<void> =>
    lines.includes(line)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((res) => waiters.push({ line, resolve: res })),
          done.then((d) => Promise.reject(new Error(`child exited (${d.code ?? d.signal}) before "${line}": ${d.stderr}`))),
        ]);
  return { proc, lines, waitFor, done };
}
