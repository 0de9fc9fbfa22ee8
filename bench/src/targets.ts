/** The targets, checked against a run's medians (and, for context, against best rounds). */
import { median, type Measured } from './harness';
import type { BatchResult } from './sections/batch';
import type { DurableResult, DurableRow } from './sections/durable';
import type { MemoryResult } from './sections/memory';
import type { PostgresResult } from './sections/postgres';
import type { RedisResult } from './sections/redis';
import type { ScaleResult } from './sections/scale';

/** One target's verdict. */
export interface Verdict {
  /** What is promised, e.g. `memory get ≥ 0.7× the limit`. */
  readonly target: string;
  /** The measured ratio (the median over rounds of each round's ratio), or value. */
  readonly value: number;
  /** The same on best rounds, when the target is a throughput ratio. */
  readonly best?: number;
  /** The bound `value` must reach (`≥`) or stay under (`≤`). */
  readonly goal: number;
  readonly compare: '≥' | '≤' | '>';
  readonly unit: '×' | 'MB' | 'entries' | '%';
  readonly met: boolean;
}

/** The sections a verdict can come from (any may be absent in a partial run). */
export interface Sections {
  readonly memory?: MemoryResult;
  readonly durable?: DurableResult;
  readonly scale?: ScaleResult;
  readonly batch?: BatchResult;
  /** No target of its own: the issue asks for the rows, not a bound. */
  readonly redis?: RedisResult;
  readonly postgres?: PostgresResult;
}

/** Growth of per-op cost from the smallest to the largest size that still counts as flat. */
export const FLAT_GROWTH = 1.5;
/** For memory stores: konserve-rx's growth over the limit's own growth that still counts as flat. */
export const LIMIT_GROWTH_SLACK = 1.25;

/** Checks every target the run has data for. */
export function verdicts(s: Sections): Verdict[] {
  const out: Verdict[] = [];
  const ratio = (target: string, a: Measured | undefined, b: Measured | undefined, goal: number, compare: '≥' | '>' = '≥'): void => {
    if (!a || !b) return;
    const value = pairedRatio(a, b);
    out.push({ target, value, best: a.best / b.best, goal, compare, unit: '×', met: compare === '≥' ? value >= goal : value > goal });
  };
  for (const d of s.memory?.documents ?? []) {
    const row = (name: string) => d.rows.find((r) => r.name === name);
    const k = row('konserve-rx memory');
    const limit = row('limit: Map + of() + cbor');
    const unstorage = row('unstorage memory');
    const keyv = row('keyv (default Map)');
    const on = `${d.doc} document`;
    ratio(`memory get ≥ 0.8× the limit (Map + of() + cbor decode), ${on}`, k?.get, limit?.get, 0.8);
    ratio(`memory assoc ≥ 0.7× the limit (Map + of() + cbor encode), ${on}`, k?.assoc, limit?.assoc, 0.7);
    ratio(`memory get ahead of unstorage memory, ${on}`, k?.get, unstorage?.get, 1, '>');
    ratio(`memory assoc ahead of unstorage memory, ${on}`, k?.assoc, unstorage?.assoc, 1, '>');
    ratio(`memory get ≥ 5× keyv default, ${on}`, k?.get, keyv?.get, 5);
    ratio(`memory assoc ≥ 5× keyv default, ${on}`, k?.assoc, keyv?.assoc, 5);
  }
  for (const d of s.durable?.documents ?? []) {
    const row = (name: string): DurableRow | undefined => d.rows.find((r) => r.name === name || r.name.startsWith(`${name} (`));
    const k = row('konserve-rx fs');
    const raw = row('raw limit');
    const n = s.durable!.inFlight;
    const on = `${d.doc} document`;
    ratio(`fs durable write, sequential ≥ 0.8× raw, ${on}`, k?.writeSyncSeq, raw?.writeSyncSeq, 0.8);
    ratio(`fs durable write, ${n} in flight ≥ 0.8× raw, ${on}`, k?.writeSyncMany, raw?.writeSyncMany, 0.8);
    ratio(`fs read, sequential ≥ 0.8× raw readFile + decode, ${on}`, k?.readSeq, raw?.readSeq, 0.8);
    ratio(`fs read, ${n} in flight ≥ 0.8× raw readFile + decode, ${on}`, k?.readMany, raw?.readMany, 0.8);
  }
  if (s.scale) out.push(...scaleVerdicts(s.scale));
  if (s.postgres && s.postgres.rows.length > 0) {
    const [k, raw] = s.postgres.rows;
    const n = s.postgres.inFlight;
    ratio('postgres get, sequential ≥ 0.9× raw SELECT + decode', k?.readSeq, raw?.readSeq, 0.9);
    ratio(`postgres get, ${n} in flight ≥ 0.9× raw SELECT + decode`, k?.readMany, raw?.readMany, 0.9);
    ratio('postgres assoc, sequential ≥ 0.7× raw INSERT ON CONFLICT', k?.writeSeq, raw?.writeSeq, 0.7);
    ratio(`postgres assoc, ${n} in flight ≥ 0.7× raw INSERT ON CONFLICT`, k?.writeMany, raw?.writeMany, 0.7);
  }
  return out;
}

function scaleVerdicts(scale: ScaleResult): Verdict[] {
  const out: Verdict[] = [];
  const first = scale.sizes[0]!;
  const last = scale.sizes[scale.sizes.length - 1]!;
  for (const row of scale.rows.filter((r) => r.name.startsWith('konserve-rx'))) {
    const growth = pairedRatio(row.bySize[0]!, row.bySize[row.bySize.length - 1]!);
    // a memory row is judged against the limit's own growth over the same sizes: a Map of 100k
    // values misses the CPU caches and collects more garbage whatever sits on top of it
    const op = row.name.endsWith(' get') ? 'get' : row.name.endsWith(' assoc') ? 'assoc' : undefined;
    const limit = row.name.includes('memory') && op ? scale.rows.find((r) => r.name === `limit ${op}`) : undefined;
    if (limit) {
      const base = pairedRatio(limit.bySize[0]!, limit.bySize[limit.bySize.length - 1]!);
      const value = growth / base;
      out.push({
        target: `${row.name}: per-op cost growth from ${first} to ${last} keys ≤ ${LIMIT_GROWTH_SLACK}× the limit's own (${growth.toFixed(2)}× vs ${base.toFixed(2)}×)`,
        value,
        goal: LIMIT_GROWTH_SLACK,
        compare: '≤',
        unit: '×',
        met: value <= LIMIT_GROWTH_SLACK,
      });
    } else {
      out.push({
        target: `${row.name}: per-op cost at ${last} keys ≤ ${FLAT_GROWTH}× at ${first}`,
        value: growth,
        goal: FLAT_GROWTH,
        compare: '≤',
        unit: '×',
        met: growth <= FLAT_GROWTH,
      });
    }
  }
  for (const store of new Set(scale.listings.map((l) => l.store))) {
    const ls = scale.listings.filter((l) => l.store === store);
    const small = ls[0]!;
    const big = ls[ls.length - 1]!;
    // bounded: streaming 10× more keys must not hold 10× more memory
    const goal = 2 * Math.max(small.heapPeakDeltaMB, 0) + 16;
    out.push({
      target: `${store} keys() over ${big.keys} keys: peak heap growth ≤ 2× that of ${small.keys} keys + 16 MB`,
      value: big.heapPeakDeltaMB,
      goal,
      compare: '≤',
      unit: 'MB',
      met: big.heapPeakDeltaMB <= goal,
    });
  }
  const big = scale.coldOpens[scale.coldOpens.length - 1];
  if (big) {
    const goal = Math.floor(big.keys / 10);
    out.push({
      target: `cold open of ${big.keys} keys (connect + first get) lists < 10% of the files`,
      value: big.entriesRead,
      goal,
      compare: '≤',
      unit: 'entries',
      met: big.entriesRead < goal,
    });
  }
  return out;
}

/**
 * The median over rounds of `a`'s throughput over `b`'s in the same round. Both ran in the same
 * round, close in time, so a machine that is busier in some rounds than others skews this less
 * than a ratio of the two medians.
 */
export function pairedRatio(a: Measured, b: Measured): number {
  const n = Math.min(a.rounds.length, b.rounds.length);
  return median(Array.from({ length: n }, (_, r) => a.rounds[r]! / b.rounds[r]!));
}
