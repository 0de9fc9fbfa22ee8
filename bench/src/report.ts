/** The run's outputs: the markdown report (stdout, docs/performance.md) and the JSON result file. */
import { cpus, loadavg } from 'node:os';
import type { Measured } from './harness';
import { pairedRatio, type Verdict, type Sections } from './targets';
import { DOC_BYTES } from './fixture';
import type { PostgresRow } from './sections/postgres';
import type { MemoryDocResult } from './sections/memory';
import type { DurableDocResult } from './sections/durable';
import type { SpreadRow } from './spread';

/** Everything one run measured; written as JSON. */
export interface RunResult extends Sections {
  readonly tool: 'konserve-rx-bench';
  readonly version: 1;
  readonly date: string;
  readonly node: string;
  readonly machine: Machine;
  readonly quick: boolean;
  /** The size of the 30-string document as CBOR (the memory and durable sections also store a nested one). */
  readonly documentBytes: number;
  /** How many times the memory and durable sections ran (`--runs`). */
  readonly runs: number;
  /** With more than one run: how much each konserve-rx and limit row moved between runs. */
  readonly spread?: SpreadRow[];
  readonly verdicts: Verdict[];
}

/** Where it ran, and how busy the machine was (other work skews absolute numbers, not the side-by-side ratios). */
export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly platform: string;
  /** 1-minute load averages at start and end. */
  readonly loadStart: number;
  readonly loadEnd: number;
}

/** Describes this machine now; `loadEnd` is filled in later. */
export function machineNow(): Machine {
  const c = cpus();
  return { cpus: c.length, model: c[0]?.model ?? 'unknown', platform: `${process.platform} ${process.arch}`, loadStart: loadavg()[0]!, loadEnd: NaN };
}

const ops = (m: Measured | undefined): string => (m === undefined ? '–' : Math.round(m.median).toLocaleString('en-US'));
const x = (v: number): string => `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
const vs = (a: Measured | undefined, b: Measured | undefined): string => (a && b ? x(pairedRatio(a, b)) : '–');
const us = (m: Measured): string => (1e6 / m.median).toFixed(m.median > 1e5 ? 2 : 1);

/** The whole report as markdown. */
export function markdown(r: RunResult): string {
  const load = `load average ${r.machine.loadStart.toFixed(1)} at start, ${r.machine.loadEnd.toFixed(1)} at end`;
  const parts = [
    `# konserve-rx benchmarks${r.quick ? ' (--quick: smoke run, numbers not meaningful)' : ''}`,
    '',
    `${r.date}, Node ${r.node}, ${r.machine.cpus} cores (${r.machine.model}), ${r.machine.platform}; ${load}. ` +
      `Documents: a fixed object of 30 string fields (flat, ${r.documentBytes} bytes as CBOR) and, in the memory and durable sections, ` +
      'a nested record of numbers, booleans, arrays and objects (nested). Throughputs are medians over interleaved rounds ' +
      '(every contender runs once per round, order rotated); a ratio is the median of the per-round ratios. ' +
      'Memory and durable contenders each run in a process of their own. ' +
      "Memory numbers are per CPU second of the contender's process (see docs/performance.md), the rest per wall-clock second.",
  ];
  for (const d of r.memory?.documents ?? []) parts.push('', memoryTable(r, d));
  for (const d of r.durable?.documents ?? []) parts.push('', durableTable(r, d));
  if (r.spread) parts.push('', spreadTable(r.spread));
  if (r.scale) parts.push('', scaleTables(r));
  if (r.batch) parts.push('', batchTable(r));
  if (r.redis) parts.push('', redisTable(r));
  if (r.postgres) parts.push('', postgresTable(r));
  if (r.verdicts.length > 0) parts.push('', verdictTable(r.verdicts));
  return `${parts.join('\n')}\n`;
}

function memoryTable(r: RunResult, d: MemoryDocResult): string {
  const m = r.memory!;
  const find = (prefix: string) => d.rows.find((row) => row.name.startsWith(prefix));
  const limit = find('limit');
  const keyv = find('keyv');
  const unstorage = find('unstorage');
  const lines = [
    `## Memory, ${d.doc} document (${d.bytes} bytes): ${m.keys} keys, sequential, ops/s (median of ${m.rounds} rounds)`,
    '',
    '| contender | get | get vs limit | assoc | assoc vs limit |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...d.rows.map((row) => `| ${row.name} | ${ops(row.get)} | ${vs(row.get, limit?.get)} | ${ops(row.assoc)} | ${vs(row.assoc, limit?.assoc)} |`),
  ];
  if (limit && keyv && unstorage) {
    lines.push(
      '',
      `For scale, the limit itself is ${vs(limit.get, keyv.get)} keyv and ${vs(limit.get, unstorage.get)} unstorage on get, ` +
        `${vs(limit.assoc, keyv.assoc)} keyv and ${vs(limit.assoc, unstorage.assoc)} unstorage on assoc.`,
    );
  }
  const store = find('konserve-rx memory');
  const own = find("Map + of() + konserve-rx's CBOR");
  if (store && own) {
    lines.push(
      '',
      `Against the same Map with konserve-rx's own serializer (not a target: what the store's own work costs), ` +
        `konserve-rx memory is ${vs(store.get, own.get)} on get and ${vs(store.assoc, own.assoc)} on assoc.`,
    );
  }
  return lines.join('\n');
}

function durableTable(r: RunResult, d: DurableDocResult): string {
  const n = r.durable!.inFlight;
  const raw = d.rows.find((row) => row.name.startsWith('raw'));
  const kRow = d.rows.find((row) => row.name === 'konserve-rx fs');
  const cells = (row: (typeof d.rows)[number]): Array<Measured | undefined> => [
    row.writeSyncSeq,
    row.writeSyncMany,
    row.writeSeq,
    row.writeMany,
    row.readSeq,
    row.readMany,
  ];
  const ratios = kRow && raw ? cells(kRow).map((c, i) => vs(c, cells(raw)[i])) : [];
  return [
    `## Durable, ${d.doc} document (${d.bytes} bytes): ${r.durable!.keys} keys, ops/s (median of ${r.durable!.rounds} rounds)`,
    '',
    `| contender | write, fsync, sequential | write, fsync, ${n} in flight | write, no fsync, sequential | write, no fsync, ${n} in flight | read, sequential | read, ${n} in flight |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...d.rows.map((row) => `| ${row.name} | ${cells(row).map(ops).join(' | ')} |`),
    ...(ratios.length > 0 ? [`| *konserve-rx fs / raw* | ${ratios.map((t) => `*${t}*`).join(' | ')} |`] : []),
  ].join('\n');
}

function spreadTable(rows: readonly SpreadRow[]): string {
  const n = rows[0]?.medians.length ?? 0;
  return [
    `## Spread over ${n} runs (each run in fresh contender processes)`,
    '',
    'Median ops/s of each run; spread = fastest run ÷ slowest run − 1 (the target: within 15% for the limit rows); ' +
      "best-round spread: the same over each run's best round.",
    '',
    `| section | contender | document | operation | ${Array.from({ length: n }, (_, i) => `run ${i + 1}`).join(' | ')} | spread | best-round spread |`,
    `| --- | --- | --- | --- | ${Array.from({ length: n }, () => '---:').join(' | ')} | ---: | ---: |`,
    ...rows.map(
      (row) =>
        `| ${row.section} | ${row.contender} | ${row.doc} | ${row.op} | ${row.medians.map((v) => Math.round(v).toLocaleString('en-US')).join(' | ')} | ${(row.spread * 100).toFixed(1)}% | ${(row.bestSpread * 100).toFixed(1)}% |`,
    ),
  ].join('\n');
}

function scaleTables(r: RunResult): string {
  const s = r.scale!;
  const sizes = s.sizes.map((n) => n.toLocaleString('en-US'));
  const lines = [
    `## Scale: µs per operation by store size (sequential, median of ${s.rounds} rounds)`,
    '',
    `| store, operation | ${sizes.join(' | ')} | growth |`,
    `| --- | ${s.sizes.map(() => '---:').join(' | ')} | ---: |`,
    ...s.rows.map((row) => {
      const first = row.bySize[0]!;
      const last = row.bySize[row.bySize.length - 1]!;
      return `| ${row.name} | ${row.bySize.map(us).join(' | ')} | ${x(pairedRatio(first, last))} |`;
    }),
    '',
    '`keys()` streams Metas; heap and RSS sampled every 500 keys, peak above the start:',
    '',
    '| store | keys | time ms | keys/s | peak heap Δ MB | peak RSS Δ MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...s.listings.map(
      (l) =>
        `| ${l.store} | ${l.keys.toLocaleString('en-US')} | ${l.ms.toFixed(0)} | ${Math.round((l.keys * 1000) / l.ms).toLocaleString('en-US')} | ${l.heapPeakDeltaMB.toFixed(1)} | ${l.rssPeakDeltaMB.toFixed(1)} |`,
    ),
    '',
    'Cold open of a file store in a fresh process (`connectFileStore` + first `get`; page cache warm; medians):',
    '',
    '| keys | connect ms | first get ms | total ms | folders listed | entries listed |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...s.coldOpens.map(
      (c) =>
        `| ${c.keys.toLocaleString('en-US')} | ${c.connectMs.toFixed(1)} | ${c.firstGetMs.toFixed(1)} | ${c.totalMs.toFixed(1)} | ${c.foldersListed} | ${c.entriesRead.toLocaleString('en-US')} |`,
    ),
  ];
  return lines.join('\n');
}

function batchTable(r: RunResult): string {
  const b = r.batch!;
  const n = b.rows[0]?.entries ?? 0;
  return [
    `## Batch: file store, ${n} entries, ms for all of them (median of ${b.rounds} rounds)`,
    '',
    `| fsync | ${n} sequential assocs | multiAssoc of ${n} | gain |`,
    '| --- | ---: | ---: | ---: |',
    ...b.rows.map((row) => `| ${row.fsync ? 'on' : 'off'} | ${row.sequentialMs.toFixed(1)} | ${row.multiAssocMs.toFixed(1)} | ${x(row.gain)} |`),
  ].join('\n');
}

function redisTable(r: RunResult): string {
  const d = r.redis!;
  if (d.skipped !== undefined) return `## Redis\n\nRedis rows skipped: ${d.skipped}.`;
  const n = d.inFlight;
  const cells = (row: (typeof d.rows)[number]): Array<Measured | undefined> => [row.writeSeq, row.writeMany, row.readSeq, row.readMany];
  const lines = [
    `## Redis: ${d.keys} keys on a private ${d.server ?? 'redis-server'} (AOF on, loopback), ops/s (median of ${d.rounds} rounds)`,
    '',
    `| contender | appendfsync | write, sequential | write, ${n} in flight | read, sequential | read, ${n} in flight |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const policy of new Set(d.rows.map((row) => row.appendfsync))) {
    const rows = d.rows.filter((row) => row.appendfsync === policy);
    lines.push(...rows.map((row) => `| ${row.name} | ${policy} | ${cells(row).map(ops).join(' | ')} |`));
    const raw = rows.find((row) => row.name.startsWith('raw'));
    // a ratio row for each store row against the raw limit
    for (const k of raw ? rows.filter((row) => row.name.startsWith('konserve-rx')) : [])
      lines.push(
        `| *${k.name} / raw* | ${policy} | ${cells(k)
          .map((c, i) => `*${vs(c, cells(raw!)[i])}*`)
          .join(' | ')} |`,
      );
  }
  return lines.join('\n');
}

function postgresTable(r: RunResult): string {
  const d = r.postgres!;
  if (d.skipped !== undefined) return `## PostgreSQL\n\nPostgreSQL rows skipped: ${d.skipped}.`;
  const n = d.inFlight;
  const cells = (row: (typeof d.rows)[number]): Array<Measured | undefined> => [row.writeSeq, row.writeMany, row.readSeq, row.readMany];
  const mine = d.rows.filter((row) => row.name.startsWith('konserve-rx'));
  const raws = d.rows.filter((row) => !row.name.startsWith('konserve-rx'));
  return [
    `## PostgreSQL: ${d.keys} keys on a private ${d.server ?? 'PostgreSQL'} (loopback, fsync off, pools of ${d.poolSize}), ops/s (median of ${d.rounds} rounds)`,
    '',
    `| contender | assoc, sequential | assoc, ${n} in flight | get, sequential | get, ${n} in flight |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...d.rows.map((row) => `| ${row.name} | ${cells(row).map(ops).join(' | ')} |`),
    // a ratio row for each store against each raw client
    ...mine.flatMap((k) =>
      raws.map(
        (raw) =>
          `| *${k.label} / ${raw.label}* | ${cells(k)
            .map((c, i) => `*${vs(c, cells(raw)[i])}*`)
            .join(' | ')} |`,
      ),
    ),
    ...postgresCpuTable(d.rows, n),
  ].join('\n');
}

/** The CPU per operation of each contender (this process + the server), with ratios read as rates; empty without the figures. */
function postgresCpuTable(rows: readonly PostgresRow[], n: number): string[] {
  if (!rows.some((row) => row.cpu)) return [];
  const fields = ['writeSeq', 'writeMany', 'readSeq', 'readMany'] as const;
  const cost = (row: PostgresRow): Array<number | undefined> => fields.map((f) => row.cpu?.[f]);
  const mine = rows.filter((row) => row.name.startsWith('konserve-rx'));
  const raws = rows.filter((row) => !row.name.startsWith('konserve-rx'));
  return [
    '',
    'CPU per operation, µs: this process and the server together (it moves far less with machine load than the rates; with many in flight on 2 cores it bounds the rate). Ratios are raw CPU ÷ store CPU, read like the rate ratios above:',
    '',
    `| contender | assoc, sequential | assoc, ${n} in flight | get, sequential | get, ${n} in flight |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${cost(row)
          .map((c) => (c === undefined ? '–' : Math.round(c).toString()))
          .join(' | ')} |`,
    ),
    ...mine.flatMap((k) =>
      raws.map((raw) => {
        const ratios = cost(k).map((c, i) => {
          const r = cost(raw)[i];
          return c === undefined || r === undefined ? '–' : `${(r / c).toFixed(2)}×`;
        });
        return `| *${k.label} / ${raw.label}* | ${ratios.map((v) => `*${v}*`).join(' | ')} |`;
      }),
    ),
  ];
}

function verdictTable(vs: readonly Verdict[]): string {
  // three decimals for ratios, so a value just under its goal never prints as the goal itself
  const fmt = (v: Verdict, n: number): string =>
    v.unit === '×' ? `${n.toFixed(3)}×` : v.unit === 'MB' ? `${n.toFixed(1)} MB` : v.unit === '%' ? `${n.toFixed(1)}%` : `${Math.round(n)}`;
  return [
    '## Targets',
    '',
    '| target | measured (median) | best rounds | goal | |',
    '| --- | ---: | ---: | ---: | --- |',
    ...vs.map(
      (v) =>
        `| ${v.target} | ${fmt(v, v.value)} | ${v.best === undefined ? '' : fmt(v, v.best)} | ${v.compare} ${fmt(v, v.goal)} | ${v.met ? 'met' : '**missed**'} |`,
    ),
  ].join('\n');
}

/** The document size for the result. */
export const DOCUMENT_BYTES = DOC_BYTES.length;
