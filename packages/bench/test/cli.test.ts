/** The benchmark program end to end, in-process on a small workload (bin.test.ts runs the built bin). */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultOut, main } from '../src/cli/main';
import type { BenchResult } from '../src/cli/report';
import { USAGE } from '../src/cli/usage';
import { checkWellFormed } from './helpers/xml';

const small = ['--ops', '300', '--keys', '60', '--warmup', '20', '--rounds', '2', '--distribution', 'uniform', '--min', '0', '--max', '2'];

function sink(isTTY = false): { isTTY: boolean; text: string; write(t: string): boolean } {
  return {
    isTTY,
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

/** The phases a run reported on stderr (`<phase>: ...` lines), in order, each once. */
function phasesIn(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^([a-z-]+): /gm)].map((m) => m[1] as string))];
}

/** The phase order a text documents, on its line `Phases, in order: a → b → c.` */
function documentedPhases(text: string): string[] {
  const line = /Phases, in order: (.*)\./.exec(text);
  expect(line).not.toBeNull();
  return (line?.[1] ?? '').split(' → ').map((p) => p.replace(/`/g, '').trim());
}

function outputs(dir: string): { result: BenchResult; svg: string } {
  const files = readdirSync(dir).sort();
  expect(files).toHaveLength(2);
  const [json, svg] = files as [string, string];
  expect(json).toMatch(/^konserve-rx-bench-latency-.*\.json$/);
  expect(svg).toBe(json.replace(/json$/, 'svg'));
  return { result: JSON.parse(readFileSync(join(dir, json), 'utf8')) as BenchResult, svg: readFileSync(join(dir, svg), 'utf8') };
}

describe('konserve-rx-bench', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'konserve-rx-bench-test-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs a small workload in-process: markdown on stdout, progress on stderr, JSON and SVG on disk', async () => {
    const io = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main([...small, '--concurrency', '50', '--out', 'results'], io)).toBe(0);
    expect(io.stdout.text).toContain('| run | op | count | ops/s | mean ms | p50 ms | p95 ms | p99 ms | max ms |');
    expect(io.stdout.text).toMatch(/\| store \| all \| 300 \|/);
    expect(io.stdout.text).toMatch(/\| baseline \| all \| 300 \|/);
    expect(io.stdout.text).toMatch(/Wall time, median of 2 run\(s\) each: .* = \*\*\d+\.\d\d×\*\*.* µs per operation.*≤ 1\.3×\): \*\*(met|missed)\*\*/);
    expect(io.stdout.text).toMatch(
      /Simulator fidelity \(at most 100 in flight\): .*p50 .* ms vs 1\.00 ms, p95 .* ms vs 1\.90 ms, p99 .* ms vs 1\.98 ms.*\*\*(met|missed)\*\*/,
    );
    expect(io.stdout.text).toMatch(/No-latency floor: CPU µs per operation, 300 ops per run, median of 9 alternating rounds/);
    expect(io.stdout.text).toMatch(/The asynchronous path .* \*\*(met|missed)\*\*.* The latency wrapper at 0 ms .* \*\*(met|missed)\*\*/);
    expect(io.stderr.text.match(/^latency \[.*\d+%/gm)?.length).toBeGreaterThanOrEqual(2);
    const { result, svg } = outputs(join(tmp, 'results'));
    expect(result.store.all.count).toBe(300);
    expect(result.rounds).toHaveLength(2);
    expect(result.ratio).toBeGreaterThan(0);
    expect(result.floor?.runs.zeroLatency.get).toHaveLength(9);
    expect(result.floor?.cpuUs.memory.assoc).toBeGreaterThan(0);
    expect(result.fidelity?.expected).toEqual({ p50: 1, p95: 1.9, p99: 1.98 });
    expect(result.backingCallsPerOp).toBeGreaterThanOrEqual(1);
    expect(result.backing?.read?.count).toBeGreaterThan(0);
    expect(checkWellFormed(svg)[0]).toBe('svg');
    expect([...svg.matchAll(/data-series="([^"]*)"/g)].map((m) => m[1])).toEqual(['store get', 'store assoc', 'baseline (all)']);
    expect(svg).toMatch(/<text[^>]*class="title"[^>]*>konserve-rx latency store: latency CDF, 300 ops, concurrency 50, uniform 0–2 ms<\/text>/);
    expect(phasesIn(io.stderr.text)).toEqual(documentedPhases(USAGE));
    expect(phasesIn(io.stderr.text)).toEqual(documentedPhases(readFileSync(join(__dirname, '..', 'README.md'), 'utf8')));
  });

  it('draws the chart with a logarithmic latency axis for --x-scale log', async () => {
    const io = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main([...small, '--rounds', '1', '--no-compare-baseline', '--x-scale', 'log', '--out', 'log-chart'], io)).toBe(0);
    const svg = readFileSync(join(tmp, 'log-chart', readdirSync(join(tmp, 'log-chart')).find((f) => f.endsWith('.svg')) as string), 'utf8');
    expect(svg).toMatch(/class="x-title"[^>]*>latency \(ms, log scale\)</);
    expect(svg).toMatch(/class="title"[^>]*>[^<]*no concurrency cap/);
  });

  it('prints usage for --help and exits 2 with a message on a bad flag', async () => {
    const help = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main(['--help'], help)).toBe(0);
    expect(help.stdout.text).toMatch(/^Usage: konserve-rx-bench/);
    const bad = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main(['--ops', 'lots'], bad)).toBe(2);
    expect(bad.stderr.text).toContain('--ops must be a number');
    expect(bad.stdout.text).toBe('');
  });

  it('exits 2 naming an unknown flag (`--opz 5`) instead of running the default workload', async () => {
    const io = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main(['--opz', '5'], io)).toBe(2);
    expect(io.stderr.text).toContain('unknown flag --opz');
    expect(io.stderr.text).toContain('--help');
    expect(io.stdout.text).toBe('');
  });

  it('measures the file backend through the optional peer @konserve-rx/fs', async () => {
    const io = { stdout: sink(), stderr: sink(), cwd: tmp };
    expect(await main(['--backend', 'file', '--ops', '40', '--warmup', '0', '--no-progress', '--out', 'file-results'], io)).toBe(0);
    expect(io.stdout.text).toContain('## konserve-rx-bench: file backend, 40 ops, no concurrency cap');
    expect(io.stdout.text).toMatch(/\| store \| all \| 40 \|/);
  });

  it('writes to bench/results inside the repo and ./konserve-rx-bench elsewhere', () => {
    const fakeRepo = join(tmp, 'repo');
    mkdirSync(join(fakeRepo, 'bench'), { recursive: true });
    writeFileSync(join(fakeRepo, 'bench', 'package.json'), '{}');
    expect(defaultOut(fakeRepo)).toBe(join('bench', 'results'));
    expect(defaultOut(join(tmp, 'elsewhere'))).toBe('konserve-rx-bench');
  });
});
