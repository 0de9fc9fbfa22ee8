/**
 * The fencing tests' tools (redis and fs): a child process that increments a counter and can stall
 * inside its `update` function (fenced-counter.js), and freezing a process with SIGSTOP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNodeChild, type Child } from './children';

/**
 * Starts test-support/fenced-counter.js against a store of a BUILT package.
 * @param pkg - the package to require, e.g. `'@konserve-rx/redis'`
 * @param connect - its `connectXStore` function's name
 * @param options - the store options, JSON-safe
 * @param key - the counter's key
 * @returns the child; wait for its `ready` line before sending commands
 */
export function startFencedCounter(pkg: string, connect: string, options: object, key: string): Child {
  return startNodeChild(join(__dirname, 'fenced-counter.js'), [pkg, connect, JSON.stringify(options), key]);
}

/** Resolves with the outcome of command `round` (`'acked'` or an error code) once the child finished it. */
export async function outcomeOf(child: Child, round: number): Promise<string> {
  await child.waitFor(`done ${round}`);
  const line = child.lines[child.lines.indexOf(`done ${round}`) - 1] ?? '';
  return line.slice(0, line.lastIndexOf(' '));
}

/** Stops `pid` with SIGSTOP and resolves once the kernel reports it stopped (Linux `/proc`). */
export async function freeze(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const deadline = Date.now() + 30_000;
  while (stateOf(pid) !== 'T') {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not stop`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets a process stopped by {@link freeze} continue. */
export function resume(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

/** Ends a child that a failed test left running, frozen or not (SIGKILL, then SIGCONT so it dies at once). */
export function stopChild(child: Child): void {
  child.proc.kill('SIGKILL');
  child.proc.kill('SIGCONT');
}

/** Whether this platform can freeze processes and tell that they stopped. */
export const canFreeze = process.platform === 'linux';

/** The state letter of a Linux process (`R`, `S`, `T` stopped, ...). */
function stateOf(pid: number): string | undefined {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (in parentheses) may contain spaces: the state follows its closing paren
  return stat.slice(stat.lastIndexOf(')') + 2)[0];
}
