/**
 * CPU per operation for the postgres section: the CPU time this process and the server's processes
 * spend together per operation. On a shared machine the wall-clock rates swing several-fold from
 * round to round (other work takes the cores), while the CPU an operation costs moves far less; and
 * with many operations in flight on a machine this small, that cost is what bounds the rate. Read
 * from Linux's /proc (per-process scheduler time); elsewhere the figures are absent.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { median, runPool, type Case } from '../harness';

/** Whether this system shows process CPU times in /proc. */
function hasProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

/** The CPU time of single-threaded process `pid` so far, in µs (0 when it is gone). */
function cpuOf(pid: number): number {
  try {
    // scheduler time in ns (of the main thread: a server process has only that), where the kernel
    // keeps it; else user + system clock ticks (1/100 s)
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10_000;
    } catch {
      return 0;
    }
  }
}

/** The server's postmaster and its children (one per connection, plus its workers). */
function serverPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
  return [postmaster, ...children.map(Number)];
}

/**
 * Measures each case's CPU per operation (this process + the server in `dataDir`) over `rounds`
 * interleaved rounds of `opsOf(id)` operations.
 * @returns the median µs per operation of each case id, or `undefined` without /proc
 */
export async function cpuPerOp(
  cases: readonly Case[],
  opsOf: (id: string) => number,
  rounds: number,
  dataDir: string,
): Promise<Map<string, number> | undefined> {
  if (!hasProc()) return undefined;
  const samples = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length]!;
      const pids = serverPids(dataDir);
      // this process through getrusage: its helper threads (GC, I/O) count too
      const now = (): number => {
        const own = process.cpuUsage();
        return own.user + own.system + pids.reduce((sum, pid) => sum + cpuOf(pid), 0);
      };
      const before = now();
      const ops = opsOf(c.id);
      await runPool(ops, c.inFlight, c.start);
      samples.get(c.id)!.push((now() - before) / ops);
    }
  }
  return new Map([...samples].map(([id, s]) => [id, median(s)]));
}
