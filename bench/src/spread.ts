/**
 * How still the baselines hold: the same sections run several times (each run in fresh contender
 * processes), and each row's median throughput is compared across the runs. A ratio against a
 * baseline that moves says nothing, so the limit contenders' spread is itself a target.
 */
import type { DocName } from './fixture';
import type { Measured } from './harness';
import type { DurableResult } from './sections/durable';
import type { MemoryResult } from './sections/memory';
import type { Verdict } from './targets';

/** The rows whose spread is a target: the bare floors and limits, which run no konserve-rx code. */
export const LIMIT_CONTENDERS: readonly string[] = ['Map + Promise.resolve', 'Map + of()', 'limit: Map + of() + cbor', 'raw limit (fs/promises + cbor)'];

/** The largest spread a limit contender may show over the runs. */
export const SPREAD_GOAL = 0.15;

/** One row's median throughput in each run. */
export interface SpreadRow {
  readonly section: 'memory' | 'durable';
  readonly contender: string;
  readonly doc: DocName;
  /** The operation, as the section's table names it (e.g. `get`, `write, fsync, sequential`). */
  readonly op: string;
  /** The median ops/s of each run, in run order. */
  readonly medians: number[];
  /** Largest over smallest median, minus 1 (0.1 = the fastest run was 10% faster than the slowest). */
  readonly spread: number;
  /** The best round of each run, in run order: other work on the machine only ever slows a round down. */
  readonly bests: number[];
  /** The same spread over the best rounds. */
  readonly bestSpread: number;
}

/** The memory and durable results of one run. */
export interface SpreadRun {
  readonly memory?: MemoryResult;
  readonly durable?: DurableResult;
}

/** The spread of every konserve-rx and limit row over `runs` (rows are matched by contender, document and operation). */
export function spreadOver(runs: readonly SpreadRun[]): SpreadRow[] {
  const cells = new Map<string, { section: SpreadRow['section']; contender: string; doc: DocName; op: string; medians: number[]; bests: number[] }>();
  const add = (section: SpreadRow['section'], contender: string, doc: DocName, op: string, m: Measured | undefined): void => {
    if (m === undefined || !(contender.startsWith('konserve-rx') || LIMIT_CONTENDERS.includes(contender))) return;
    const id = `${section}/${contender}/${doc}/${op}`;
    const cell = cells.get(id) ?? { section, contender, doc, op, medians: [], bests: [] };
    cell.medians.push(m.median);
    cell.bests.push(m.best);
    cells.set(id, cell);
  };
  for (const run of runs) {
    for (const d of run.memory?.documents ?? []) {
      for (const row of d.rows) {
        add('memory', row.name, d.doc, 'get', row.get);
        add('memory', row.name, d.doc, 'assoc', row.assoc);
      }
    }
    const n = run.durable?.inFlight;
    for (const d of run.durable?.documents ?? []) {
      for (const row of d.rows) {
        add('durable', row.name, d.doc, 'write, fsync, sequential', row.writeSyncSeq);
        add('durable', row.name, d.doc, `write, fsync, ${n} in flight`, row.writeSyncMany);
        add('durable', row.name, d.doc, 'write, no fsync, sequential', row.writeSeq);
        add('durable', row.name, d.doc, `write, no fsync, ${n} in flight`, row.writeMany);
        add('durable', row.name, d.doc, 'read, sequential', row.readSeq);
        add('durable', row.name, d.doc, `read, ${n} in flight`, row.readMany);
      }
    }
  }
  const spreadOf = (xs: readonly number[]): number => Math.max(...xs) / Math.min(...xs) - 1;
  return [...cells.values()].map((c) => ({ ...c, spread: spreadOf(c.medians), bestSpread: spreadOf(c.bests) }));
}

/** One verdict per section: the largest spread among its limit contenders' rows. */
export function spreadVerdicts(rows: readonly SpreadRow[]): Verdict[] {
  const out: Verdict[] = [];
  for (const section of ['memory', 'durable'] as const) {
    const limits = rows.filter((r) => r.section === section && LIMIT_CONTENDERS.includes(r.contender));
    if (limits.length === 0 || limits[0]!.medians.length < 2) continue;
    const worst = limits.reduce((a, b) => (b.spread > a.spread ? b : a));
    out.push({
      target: `${section}: every limit contender's spread over ${worst.medians.length} runs ≤ ${SPREAD_GOAL * 100}% (largest: ${worst.contender}, ${worst.doc}, ${worst.op})`,
      value: worst.spread * 100,
      goal: SPREAD_GOAL * 100,
      compare: '≤',
      unit: '%',
      met: worst.spread <= SPREAD_GOAL,
    });
  }
  return out;
}
